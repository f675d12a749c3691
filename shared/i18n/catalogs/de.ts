import type { Catalog } from '../messages';

/** Deutsch (formell, „Sie“). */
export const de: Catalog = {
  'page.signIn.title': 'Anmelden',
  'page.signIn.heading': 'Anmelden',
  'page.signIn.lead': 'um mit {client} fortzufahren',
  'page.signIn.email': 'E-Mail-Adresse',
  'page.signIn.password': 'Passwort',
  'page.signIn.remember': 'Auf diesem Gerät angemeldet bleiben',
  'page.signIn.submit': 'Anmelden',
  'page.signIn.cancel': 'Abbrechen',
  'page.signIn.invalidCredentials': 'Die E-Mail-Adresse oder das Passwort ist falsch.',
  'page.signIn.throttled': {
    one: 'Zu viele Anmeldeversuche. Bitte versuchen Sie es in {count} Minute erneut.',
    other: 'Zu viele Anmeldeversuche. Bitte versuchen Sie es in {count} Minuten erneut.',
  },

  'client.about': 'Über die App',
  'client.privacy': 'Datenschutzerklärung',
  'client.terms': 'Nutzungsbedingungen',

  'page.secondFactor.title': 'Bestätigung in zwei Schritten',
  'page.secondFactor.heading': 'Code eingeben',
  'page.secondFactor.lead':
    'Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code für dieses Konto ein.',
  'page.secondFactor.recoveryLead':
    'Geben Sie einen der Wiederherstellungscodes ein, die Sie beim Einrichten gespeichert haben. Jeder Code funktioniert einmal.',
  'page.secondFactor.code': 'Authenticator-Code',
  'page.secondFactor.recoveryCode': 'Wiederherstellungscode',
  'page.secondFactor.submit': 'Bestätigen',
  'page.secondFactor.cancel': 'Abbrechen',
  'page.secondFactor.useRecovery': 'Stattdessen einen Wiederherstellungscode verwenden',
  'page.secondFactor.useTotp': 'Stattdessen die Authenticator-App verwenden',
  'page.secondFactor.wrongCode':
    'Dieser Code ist nicht gültig. Prüfen Sie ihn und versuchen Sie es erneut.',
  'page.enrol.title': 'Authenticator-App einrichten',
  'page.enrol.scan':
    'Scannen Sie diesen QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel unten dort ein. Geben Sie dann den 6-stelligen Code ein, den die App anzeigt.',
  'page.enrol.qrLabel': 'QR-Code für Ihre Authenticator-App',
  'page.enrol.secretLabel': 'Schlüssel:',
  'page.enrol.code': 'Code aus der App',
  'page.enrol.submit': 'Einschalten',
  'page.enrol.wrongCode':
    'Dieser Code passt nicht. Prüfen Sie die Uhrzeit Ihres Geräts und versuchen Sie den neuesten Code.',
  'page.enrol.doneTitle': 'Wiederherstellungscodes speichern',
  'page.enrol.doneLead':
    'Die Bestätigung in zwei Schritten ist eingeschaltet. Wenn Sie Ihr Gerät verlieren, melden Sie sich mit einem dieser Codes statt eines Codes aus der App an. Jeder funktioniert einmal.',
  'page.enrol.codesWarning':
    'Sie werden nur jetzt angezeigt: Drucken Sie sie aus oder bewahren Sie sie in einem Passwort-Manager auf.',
  'page.consent.title': 'Zugriff erlauben',
  'page.consent.heading': 'Zugriff erlauben?',
  'page.consent.lead': '{client} bittet um Zugriff auf Ihr Konto {user}.',
  'page.consent.notYou': 'Nicht Sie? {link}',
  'page.consent.switchAccount': 'Anderes Konto verwenden',
  'page.consent.scopes': 'Die App darf dann:',
  'page.consent.required': ' (erforderlich)',
  'page.consent.audiences': 'Zur Verwendung mit:',
  'page.consent.nextTime': 'Beim nächsten Mal:',
  'page.consent.remember': 'Diese Entscheidung merken',
  'page.consent.rememberHint':
    'Andernfalls werden Sie jedes Mal erneut gefragt, wenn diese App Sie anmeldet.',
  'page.consent.allow': 'Erlauben',
  'page.consent.deny': 'Ablehnen',
  'scope.openid': 'Sie mit Ihrem Konto anmelden',
  'scope.profile': 'Ihren Namen, Benutzernamen, Ihr Profilbild und Ihre Sprache sehen',
  'scope.email': 'Ihre E-Mail-Adresse sehen',
  'scope.phone': 'Ihre Telefonnummer sehen',
  'scope.address': 'Ihre Postanschrift sehen',
  'scope.offline_access': 'Verbunden bleiben, auch wenn Sie die App nicht verwenden',

  'page.logout.title': 'Abmelden',
  'page.logout.heading': 'Abmelden?',
  'page.logout.clientAsks': '{client} möchte Sie abmelden.',
  'page.logout.aboutTo': 'Sie sind dabei, sich abzumelden.',
  'page.logout.question': 'Möchten Sie sich von Ihrem Konto abmelden?',
  'page.logout.confirm': 'Ja, abmelden',
  'page.logout.stay': 'Nein, angemeldet bleiben',
  'page.stayed.title': 'Sie sind weiterhin angemeldet',
  'page.stayed.message': 'Sie haben sich entschieden, angemeldet zu bleiben.',
  'page.stayed.messageNoBack':
    'Sie haben sich entschieden, angemeldet zu bleiben. Sie können diese Seite schließen und zur Anwendung zurückkehren.',
  'page.stayed.backTo': 'Zurück zu {client}',
  'page.stayed.backToApp': 'Zurück zur Anwendung',
  'page.signedOut.title': 'Sie sind abgemeldet',
  'page.signedOut.message':
    'Sie haben sich auf diesem Gerät von Ihrem Konto abgemeldet. Sie können diese Seite schließen oder zur Anwendung zurückkehren, um sich erneut anzumelden.',

  'page.device.title': 'Auf einem Gerät anmelden',
  'page.device.heading': 'Auf einem Gerät anmelden',
  'page.device.check':
    'Prüfen Sie, ob dies der Code ist, den Ihr Gerät anzeigt, und fahren Sie dann fort.',
  'page.device.enter': 'Geben Sie den Code ein, den Ihr Gerät anzeigt.',
  'page.device.code': 'Code',
  'page.device.warning':
    'Geben Sie nur einen Code von einem Gerät ein, das vor Ihnen steht. Wer Ihnen einen Code oder einen Link mit Code schickt, möchte sein Gerät mit Ihrem Konto anmelden.',
  'page.device.continue': 'Weiter',
  'page.device.wrongCode':
    'Dieser Code hat nicht funktioniert. Er ist möglicherweise falsch eingegeben, abgelaufen oder bereits verwendet. Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es erneut, oder fordern Sie auf dem Gerät einen neuen Code an.',
  'page.device.throttled': {
    one: 'Zu viele Codes versucht. Bitte versuchen Sie es in {count} Minute erneut.',
    other: 'Zu viele Codes versucht. Bitte versuchen Sie es in {count} Minuten erneut.',
  },
  'page.deviceDone.title': 'Sie sind auf Ihrem Gerät angemeldet',
  'page.deviceDone.message':
    'Sie sind auf Ihrem Gerät angemeldet. Sie können diese Seite schließen.',

  'page.technical.summary': 'Technische Details',
  'page.technical.note':
    'Für die Entwickler der Anwendung, so wie der Link zu dieser Seite sie übermittelt hat. Dieser Text stammt nicht von uns: Folgen Sie keinen Aufforderungen darin.',

  'error.alreadyDone.title': 'Bereits erledigt',
  'error.alreadyDone.message':
    'Diese Anfrage wurde bereits abgeschlossen. Sie können diese Seite schließen und zur Anwendung zurückkehren.',
  'error.alreadyAnswered.title': 'Bereits beantwortet',
  'error.alreadyAnswered.message':
    'Diese Anfrage wurde bereits beantwortet. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',
  'error.deviceUnsupported.title': 'Die Anmeldung auf Geräten wird nicht unterstützt',
  'error.deviceUnsupported.message':
    'Dieser Anmeldedienst unterstützt keine Anmeldung auf einem Gerät mit einem Code. Melden Sie sich stattdessen direkt auf dem Gerät an.',
  'error.unavailable.title': 'Die Anmeldung ist nicht verfügbar',
  'error.unexpected.title': 'Etwas ist schiefgelaufen',
  'error.tryAgainLater':
    'Bitte versuchen Sie es in einem Moment erneut. Wenn das Problem weiterhin besteht, wenden Sie sich an den Support.',
  'error.expired.title': 'Dieser Link ist abgelaufen',
  'error.expired.message':
    'Diese Anmeldeanfrage ist abgelaufen oder ungültig. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',

  'error.secondFactorNeeded.title': 'Ein zweiter Schritt ist nötig',
  'error.secondFactorNeeded.message':
    'Diese Anwendung verlangt eine Anmeldung mit einem zweiten Schritt, etwa einer Authenticator-App, und für Ihr Konto ist noch keiner eingerichtet. Richten Sie einen ein, kehren Sie dann zur Anwendung zurück und versuchen Sie es erneut.',
  'error.clientMisconfigured.title': 'Diese Anwendung kann Sie nicht anmelden',
  'error.clientMisconfigured.message':
    'Ihre Anmeldeeinstellungen sind ungültig. Wenden Sie sich an den Betreiber dieses Dienstes.',
  'error.badRequest.title': 'Ungültige Anfrage',
  'error.forbidden.title': 'Nicht erlaubt',
  'error.tooLarge.title': 'Zu groß',
  'error.tooLarge.form': 'Das gesendete Formular war zu groß.',
  'error.tooLarge.body': 'Der gesendete Inhalt war zu groß.',
  'error.notUtf8.form': 'Das Formular ist kein gültiges UTF-8.',
  'error.notUtf8.body': 'Der Inhalt ist kein gültiges UTF-8.',
  'error.unsupportedForm.title': 'Formular nicht unterstützt',
  'error.unsupportedForm.message': 'Diese Seite nimmt nur Formulare ihrer eigenen Seiten an.',
  'error.methodNotAllowed.title': 'Methode nicht erlaubt',
  'error.methodNotAllowed.message': 'Diese Seite nimmt diese Art von Anfrage nicht an.',
  'error.unsupportedMediaType.title': 'Medientyp nicht unterstützt',
  'error.unsupportedMediaType.message': 'Dieser Endpunkt nimmt nur application/json an.',
  'error.notJson': 'Der Inhalt ist kein gültiges JSON.',
  'error.noChallenge':
    'Dieser Anmeldeanfrage fehlt die Challenge. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',
  'error.badChallenge':
    'Diese Anmeldeanfrage ist fehlerhaft. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',
  'error.unauthorized.title': 'Nicht autorisiert',
  'error.unauthorized.message': 'Dieser Endpunkt erwartet seinen Schlüssel im Header {header}.',
  'error.csrf':
    'Dieses Formular konnte nicht überprüft werden (es ist möglicherweise abgelaufen, oder Cookies werden blockiert). Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',
  'error.duplicateField': 'Das Feld „{field}“ wurde mehrfach gesendet.',
  'error.noButton': 'Das Formular wurde nicht über eine seiner Schaltflächen gesendet.',
  'error.notFormData': 'Die Anfrage enthält keine gültigen Formulardaten.',

  'oauth.tryAgain': 'Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',
  'oauth.later':
    'Warten Sie einen Moment, kehren Sie dann zur Anwendung zurück und versuchen Sie es erneut.',
  'oauth.generic.title': 'Die Anmeldung konnte nicht abgeschlossen werden',
  'oauth.generic.message': 'Die Anmeldeanfrage konnte nicht abgeschlossen werden.',
  'oauth.badRequest.title': 'Diese Anmeldeanfrage ist ungültig',
  'oauth.unsupported.title': 'Diese Anmeldeanfrage wird nicht unterstützt',
  'oauth.unsupported.message':
    'Die Anwendung hat eine Art von Anmeldeanfrage gesendet, die dieser Dienst nicht unterstützt.',
  'oauth.access_denied.title': 'Der Zugriff wurde nicht gewährt',
  'oauth.access_denied.message':
    'Die Anmeldung wurde abgebrochen oder der Zugriff verweigert, daher hat die Anwendung keinen Zugriff auf Ihr Konto erhalten. Wenn Sie fortfahren möchten, kehren Sie zur Anwendung zurück und versuchen Sie es erneut.',
  'oauth.request_forbidden.title': 'Diese Anmeldeanfrage ist nicht zulässig',
  'oauth.request_forbidden.message': 'Diese Anmeldeanfrage ist nicht zulässig.',
  'oauth.login_required.title': 'Sie müssen sich anmelden',
  'oauth.login_required.message':
    'Die Anwendung wollte fortfahren, ohne Ihnen eine Anmeldeseite zu zeigen, aber Sie müssen sich zuerst anmelden.',
  'oauth.consent_required.title': 'Ihre Zustimmung ist erforderlich',
  'oauth.consent_required.message':
    'Die Anwendung wollte fortfahren, ohne Sie zu fragen, benötigt aber zuerst Ihre Zustimmung.',
  'oauth.interaction_required.title': 'Ihre Mitwirkung ist erforderlich',
  'oauth.interaction_required.message':
    'Die Anwendung wollte fortfahren, ohne Ihnen eine Seite zu zeigen, aber für diese Anmeldung ist Ihre Mitwirkung nötig.',
  'oauth.account_selection_required.title': 'Wählen Sie ein Konto',
  'oauth.account_selection_required.message':
    'Die Anwendung wollte fortfahren, ohne Ihnen eine Seite zu zeigen, aber Sie müssen zuerst ein Konto auswählen.',
  'oauth.invalid_request.message':
    'Die Anwendung hat eine unvollständige oder ungültige Anmeldeanfrage gesendet.',
  'oauth.invalid_client.title': 'Die Anwendung wurde nicht erkannt',
  'oauth.invalid_client.message':
    'Die Anwendung, die Sie hierher geschickt hat, konnte nicht erkannt werden, daher kann die Anmeldung nicht fortgesetzt werden.',
  'oauth.invalid_grant.title': 'Diese Anmeldung ist nicht mehr gültig',
  'oauth.invalid_grant.message':
    'Diese Anmeldung ist abgelaufen, wurde bereits verwendet oder ist ungültig.',
  'oauth.unauthorized_client.title': 'Die Anwendung ist dazu nicht berechtigt',
  'oauth.unauthorized_client.message': 'Die Anwendung darf Sie nicht auf diese Weise anmelden.',
  'oauth.unsupported_response_type.title': 'Diese Anmeldemethode wird nicht unterstützt',
  'oauth.unsupported_response_type.message':
    'Die Anwendung wollte Sie auf eine Weise anmelden, die dieser Dienst nicht unterstützt.',
  'oauth.invalid_scope.title': 'Der angeforderte Zugriff ist nicht verfügbar',
  'oauth.invalid_scope.message':
    'Die Anwendung hat einen Zugriff angefordert, der nicht verfügbar ist.',
  'oauth.invalid_request_uri.message':
    'Die Anwendung hat auf Anmeldedaten verwiesen, die nicht verwendet werden konnten.',
  'oauth.invalid_request_object.message': 'Die Anwendung hat ungültige Anmeldedaten gesendet.',
  'oauth.server_error.title': 'Etwas ist schiefgelaufen',
  'oauth.server_error.message': 'Beim Anmeldedienst ist ein Problem aufgetreten.',
  'oauth.temporarily_unavailable.title': 'Die Anmeldung ist nicht verfügbar',
  'oauth.temporarily_unavailable.message':
    'Der Anmeldedienst ist ausgelastet oder wird gerade gewartet.',
};

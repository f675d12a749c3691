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

  'page.signIn.forgot': 'Passwort vergessen?',
  'page.signIn.signUp': 'Konto erstellen',

  'page.recovery.title': 'Passwort zurücksetzen',
  'page.recovery.heading': 'Passwort zurücksetzen',
  'page.recovery.lead':
    'Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden ihr einen Link, mit dem Sie ein neues Passwort wählen.',
  'page.recovery.submit': 'Link senden',
  'page.selfService.email': 'E-Mail-Adresse',
  'page.selfService.backToSignIn': 'Zurück zur Anmeldung',
  'page.selfService.invalidEmail': 'Geben Sie eine gültige E-Mail-Adresse ein.',
  'page.selfService.throttled': {
    one: 'Zu viele E-Mails angefordert. Bitte versuchen Sie es in {count} Minute erneut.',
    other: 'Zu viele E-Mails angefordert. Bitte versuchen Sie es in {count} Minuten erneut.',
  },
  'page.sent.title': 'Sehen Sie in Ihr Postfach',
  'page.sent.recovery':
    'Wenn es zu der eingegebenen Adresse ein Konto gibt, haben wir ihr einen Link gesendet, mit dem Sie ein neues Passwort wählen. Sie können ihn auf jedem Gerät öffnen; er funktioniert einmal.',
  'page.sent.signUp':
    'Wir haben eine E-Mail an die eingegebene Adresse gesendet. Öffnen Sie sie, um fortzufahren; ihr Link funktioniert einmal.',
  'page.sent.verify':
    'Wir haben einen Link an {email} gesendet. Öffnen Sie ihn, um Ihre Adresse zu bestätigen, und kehren Sie dann hierher zurück.',
  'page.sent.validFor': {
    one: 'Der Link ist {count} Minute gültig.',
    other: 'Der Link ist {count} Minuten gültig.',
  },
  'page.password.new': 'Neues Passwort',
  'page.password.hint':
    'Zwischen {min} und {max} Zeichen. Einige Wörter, die Sie sich merken können, sind eine gute Wahl.',
  'page.password.invalid': 'Wählen Sie ein Passwort mit {min} bis {max} Zeichen.',
  'page.reset.title': 'Neues Passwort wählen',
  'page.reset.heading': 'Neues Passwort wählen',
  'page.reset.lead': 'Für Ihr Konto {email}.',
  'page.reset.submit': 'Passwort festlegen',
  'page.reset.done.title': 'Ihr Passwort wurde geändert',
  'page.reset.done.message':
    'Sie können sich jetzt mit Ihrem neuen Passwort anmelden. Zu Ihrer Sicherheit wurde Ihr Konto überall abgemeldet, in jeder Anwendung.',
  'page.reset.done.noBack': 'Kehren Sie zur Anwendung zurück, um sich erneut anzumelden.',
  'page.selfService.continue': 'Weiter zur Anmeldung',
  'page.link.used.title': 'Dieser Link wurde bereits verwendet',
  'page.link.used.message':
    'Jeder Link funktioniert nur einmal. Fordern Sie bei Bedarf einen neuen an.',
  'page.link.expired.title': 'Dieser Link ist abgelaufen',
  'page.link.expired.message':
    'Die Links in unseren E-Mails sind nur kurz gültig. Fordern Sie einen neuen an.',
  'page.link.invalid.title': 'Dieser Link ist ungültig',
  'page.link.invalid.message':
    'Der Link wurde vielleicht abgeschnitten oder verändert. Öffnen Sie ihn erneut aus der E-Mail, oder fordern Sie einen neuen an.',
  'page.link.again': 'Neuen Link anfordern',
  'page.signUp.title': 'Konto erstellen',
  'page.signUp.heading': 'Konto erstellen',
  'page.signUp.lead':
    'Geben Sie Ihre E-Mail-Adresse ein. Wir senden ihr einen Link, mit dem Sie Ihr Konto fertig erstellen.',
  'page.signUp.submit': 'Link senden',
  'page.signUp.domains': 'Konten können nur mit einer Adresse bei {domains} erstellt werden.',
  'page.signUpComplete.title': 'Konto fertig erstellen',
  'page.signUpComplete.heading': 'Konto fertig erstellen',
  'page.signUpComplete.lead': 'Ihr Konto wird {email} sein.',
  'page.signUpComplete.name': 'Ihr Name (optional)',
  'page.signUpComplete.submit': 'Konto erstellen',
  'page.signUpDone.title': 'Ihr Konto wurde erstellt',
  'page.signUpDone.message':
    'Ihr Konto {email} ist bereit, und seine E-Mail-Adresse ist bestätigt.',
  'page.signUpDone.noBack': 'Kehren Sie zur Anwendung zurück, um sich damit anzumelden.',
  'page.signUpExists.title': 'Dieses Konto gibt es bereits',
  'page.signUpExists.message':
    'Ein Konto mit dieser E-Mail-Adresse wurde inzwischen erstellt. Melden Sie sich damit an, oder setzen Sie sein Passwort zurück.',
  'page.verify.title': 'E-Mail-Adresse bestätigen',
  'page.verify.heading': 'E-Mail-Adresse bestätigen',
  'page.verify.lead': 'Bestätigen Sie, dass {email} Ihre E-Mail-Adresse ist.',
  'page.verify.submit': 'Bestätigen',
  'page.verify.needed':
    'Bevor Sie fortfahren, bestätigen Sie bitte Ihre E-Mail-Adresse {email}: Wir senden ihr einen Link.',
  'page.verify.send': 'Link senden',
  'page.verifyDone.title': 'Ihre E-Mail-Adresse ist bestätigt',
  'page.verifyDone.message': 'Vielen Dank: {email} ist bestätigt.',
  'page.verifyDone.noBack': 'Sie können diese Seite schließen und zur Anwendung zurückkehren.',
  'error.notOffered.title': 'Nicht verfügbar',
  'error.notOffered.message': 'Dieser Dienst bietet das nicht an.',

  'mail.footer': 'Diese E-Mail wurde automatisch gesendet; Antworten werden nicht gelesen.',
  'mail.validFor': {
    one: 'Der Link funktioniert einmal, {count} Minute lang.',
    other: 'Der Link funktioniert einmal, {count} Minuten lang.',
  },
  'mail.reset.subject': 'Passwort zurücksetzen',
  'mail.reset.intro':
    'Jemand hat angefordert, das Passwort des Kontos {email} zurückzusetzen. Wenn Sie das waren, wählen Sie mit diesem Link ein neues Passwort:',
  'mail.reset.action': 'Neues Passwort wählen',
  'mail.reset.ignore':
    'Wenn Sie das nicht waren, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.',
  'mail.passwordChanged.subject': 'Ihr Passwort wurde geändert',
  'mail.passwordChanged.body':
    'Das Passwort Ihres Kontos {email} wurde soeben geändert, und das Konto wurde überall abgemeldet.',
  'mail.passwordChanged.notYou':
    'Wenn Sie es nicht geändert haben, wählen Sie jetzt ein neues Passwort und wenden Sie sich an den Support:',
  'mail.passwordChanged.action': 'Passwort zurücksetzen',
  'mail.verify.subject': 'E-Mail-Adresse bestätigen',
  'mail.verify.intro': 'Bestätigen Sie mit diesem Link, dass {email} Ihre E-Mail-Adresse ist:',
  'mail.verify.action': 'Meine E-Mail-Adresse bestätigen',
  'mail.verify.ignore': 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.',
  'mail.signUp.subject': 'Konto fertig erstellen',
  'mail.signUp.intro':
    'Jemand möchte ein Konto mit {email} erstellen. Wenn Sie das waren, erstellen Sie es mit diesem Link fertig:',
  'mail.signUp.action': 'Mein Konto erstellen',
  'mail.signUp.ignore':
    'Wenn Sie das nicht waren, ignorieren Sie diese E-Mail: Es wird kein Konto erstellt.',
  'mail.signUpExists.subject': 'Jemand wollte ein Konto mit Ihrer E-Mail-Adresse erstellen',
  'mail.signUpExists.body':
    'Jemand wollte ein Konto mit {email} erstellen. Sie haben bereits eines, daher wurde nichts erstellt oder geändert.',
  'mail.signUpExists.hint':
    'Wenn Sie das waren und Ihr Passwort vergessen haben, können Sie ein neues wählen:',
  'mail.signUpExists.action': 'Passwort zurücksetzen',

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

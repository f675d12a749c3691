/**
 * The English catalog, and the source of the message keys: the only catalog bundled. Every
 * other is `<tag>.json` beside this file, read on demand (shared/i18n/languages.ts), and must
 * have exactly these keys, in this order (test/unit/i18n/catalogs.test.ts). Plain text only: the
 * views escape it. `{name}` is a placeholder; an object is a plural message picked by
 * `Intl.PluralRules` with `{count}`.
 */
export const en = {
  'page.signIn.title': 'Sign in',
  'page.signIn.heading': 'Sign in',
  'page.signIn.lead': 'to continue to {client}',
  'page.signIn.email': 'Email',
  'page.signIn.password': 'Password',
  'page.signIn.remember': 'Keep me signed in on this device',
  'page.signIn.submit': 'Sign in',
  'page.signIn.cancel': 'Cancel',
  'page.signIn.invalidCredentials': 'The email or password is incorrect.',
  'page.signIn.throttled': {
    one: 'Too many sign-in attempts. Try again in {count} minute.',
    other: 'Too many sign-in attempts. Try again in {count} minutes.',
  },

  'client.about': 'About the app',
  'client.privacy': 'Privacy policy',
  'client.terms': 'Terms of service',

  'page.consent.title': 'Allow access',
  'page.consent.heading': 'Allow access?',
  'page.consent.lead': '{client} asks to access your account {user}.',
  'page.consent.notYou': 'Not you? {link}',
  'page.consent.switchAccount': 'Use another account',
  'page.consent.scopes': 'It will be able to:',
  'page.consent.required': ' (required)',
  'page.consent.audiences': 'For use with:',
  'page.consent.nextTime': 'Next time:',
  'page.consent.remember': 'Remember this decision',
  'page.consent.rememberHint':
    'Without it, you will be asked again each time this app signs you in.',
  'page.consent.allow': 'Allow',
  'page.consent.deny': 'Deny',
  'scope.openid': 'Sign you in with your account',
  'scope.profile': 'See your name, username, picture and language',
  'scope.email': 'See your email address',
  'scope.phone': 'See your phone number',
  'scope.address': 'See your postal address',
  'scope.offline_access': 'Stay connected when you are not using it',

  'page.logout.title': 'Sign out',
  'page.logout.heading': 'Sign out?',
  'page.logout.clientAsks': '{client} asks to sign you out.',
  'page.logout.aboutTo': 'You are about to sign out.',
  'page.logout.question': 'Do you want to sign out of your account?',
  'page.logout.confirm': 'Yes, sign out',
  'page.logout.stay': 'No, stay signed in',
  'page.stayed.title': 'You are still signed in',
  'page.stayed.message': 'You chose to stay signed in.',
  'page.stayed.messageNoBack':
    'You chose to stay signed in. You can close this page and go back to the application.',
  'page.stayed.backTo': 'Back to {client}',
  'page.stayed.backToApp': 'Back to the application',
  'page.signedOut.title': 'You are signed out',
  'page.signedOut.message':
    'You have signed out of your account on this device. You can close this page, or go back to the application to sign in again.',

  'page.device.title': 'Sign in on a device',
  'page.device.heading': 'Sign in on a device',
  'page.device.check': 'Check that this is the code your device shows, then continue.',
  'page.device.enter': 'Enter the code your device shows.',
  'page.device.code': 'Code',
  'page.device.warning':
    'Only enter a code from a device in front of you. Someone who sends you a code or a link with one wants their device signed in to your account.',
  'page.device.continue': 'Continue',
  'page.device.wrongCode':
    'That code did not work. It may be mistyped, expired, or already used. Check the code on your device and try again, or start again on the device for a new code.',
  'page.device.throttled': {
    one: 'Too many codes tried. Try again in {count} minute.',
    other: 'Too many codes tried. Try again in {count} minutes.',
  },
  'page.deviceDone.title': "You're signed in on your device",
  'page.deviceDone.message': "You're signed in on your device, you can close this page.",

  'page.contactSupport': 'Contact support',
  'page.account.title': 'Your account',
  'page.account.heading': 'Your account',
  'page.account.lead': 'Signed in as {email}.',
  'page.account.profile': 'Profile',
  'page.account.email': 'Email',
  'page.account.emailVerified': 'Verified',
  'page.account.emailUnverified': 'Not verified',
  'page.account.emailReadOnly': 'You sign in with this address. It cannot be changed here.',
  'page.account.name': 'Name',
  'page.account.locale': 'Language',
  'page.account.localeHint': 'A language tag, such as en, de or pt-BR. Leave it empty for none.',
  'page.account.saveProfile': 'Save profile',
  'page.account.password': 'Password',
  'page.account.currentPassword': 'Current password',
  'page.account.newPassword': 'New password',
  'page.account.confirmPassword': 'New password again',
  'page.account.passwordHint':
    '8 to 256 characters. Changing it signs you out of every app and every other device.',
  'page.account.changePassword': 'Change password',
  'page.account.apps': 'Apps you have authorised',
  'page.account.appsNone': 'No app has access to your account.',
  'page.account.appCan': 'It can:',
  'page.account.appGranted': 'Access granted on {date}',
  'page.account.removeApp': 'Remove access',
  'page.account.removeAppFor': 'Remove access for {client}',
  'page.account.signOutHeading': 'Signing out',
  'page.account.signOutEverywhereHint':
    'Sign out everywhere ends every sign-in to your account, on every device and in every app: each app has to ask you to sign in again.',
  'page.account.signOutEverywhere': 'Sign out everywhere',
  'page.account.signOut': 'Sign out',
  'page.account.open': 'Open your account page',
  'account.notice.profile': 'Your profile was saved.',
  'account.notice.password':
    'Your password was changed. You were signed out of every app and every other device.',
  'account.notice.removed': 'The app no longer has access to your account.',
  'account.profile.nameTooLong': 'The name can have at most 200 characters.',
  'account.profile.badLocale': 'The language must be one language tag, such as en, de-CH or pt-BR.',
  'account.password.wrongCurrent': 'The current password is incorrect.',
  'account.password.policy': 'The new password must have 8 to 256 characters (at most 1 KiB).',
  'account.password.mismatch': 'The two new passwords are not the same.',
  'account.apps.notAuthorised': 'That app has no access to your account.',
  'page.signedOutEverywhere.title': 'You are signed out everywhere',
  'page.signedOutEverywhere.message':
    'Every sign-in to your account has ended, on every device and in every app. Apps will ask you to sign in again.',
  'error.account.off.title': 'There is no account page',
  'error.account.off.message': 'This sign-in service has no account page.',
  'error.account.signIn.title': 'Sign-in did not finish',
  'error.account.signIn.expired':
    'The sign-in to your account page took too long, or was started in another browser.',
  'error.account.signIn.refused': 'The sign-in to your account page could not be completed.',
  'error.account.signIn.cancelled': 'The sign-in to your account page was cancelled.',
  'error.account.ended.title': 'Your session ended',
  'error.account.ended.message':
    'Your session on the account page has ended, so nothing was changed.',
  'page.signIn.forgot': 'Forgot password?',
  'page.signIn.signUp': 'Create account',

  'page.recovery.title': 'Reset your password',
  'page.recovery.heading': 'Reset your password',
  'page.recovery.lead':
    'Enter the email address of your account. We will send it a link to choose a new password.',
  'page.recovery.submit': 'Send link',
  'page.selfService.email': 'Email',
  'page.selfService.backToSignIn': 'Back to sign-in',
  'page.selfService.invalidEmail': 'Enter a valid email address.',
  'page.selfService.throttled': {
    one: 'Too many mails asked for. Try again in {count} minute.',
    other: 'Too many mails asked for. Try again in {count} minutes.',
  },
  'page.sent.title': 'Check your inbox',
  'page.sent.recovery':
    'If the address you entered has an account, we have sent it a link to choose a new password. Open it on any device; it works once.',
  'page.sent.signUp':
    'We have sent a mail to the address you entered. Open it to go on; its link works once.',
  'page.sent.verify':
    'We have sent a link to {email}. Open it to confirm your address, then come back here.',
  'page.sent.validFor': {
    one: 'The link works for {count} minute.',
    other: 'The link works for {count} minutes.',
  },
  'page.password.new': 'New password',
  'page.password.hint':
    'Between {min} and {max} characters. A few words you will remember are a good choice.',
  'page.password.invalid': 'Choose a password of {min} to {max} characters.',
  'page.reset.title': 'Choose a new password',
  'page.reset.heading': 'Choose a new password',
  'page.reset.lead': 'For your account {email}.',
  'page.reset.submit': 'Set password',
  'page.reset.done.title': 'Your password was changed',
  'page.reset.done.message':
    'You can now sign in with your new password. For your security, your account was signed out everywhere, in every application.',
  'page.reset.done.noBack': 'Go back to the application to sign in again.',
  'page.selfService.continue': 'Continue signing in',
  'page.link.used.title': 'This link was already used',
  'page.link.used.message': 'Each link works once. If you still need to, ask for a new one.',
  'page.link.expired.title': 'This link has expired',
  'page.link.expired.message': 'The links we mail work for a short time only. Ask for a new one.',
  'page.link.invalid.title': 'This link is not valid',
  'page.link.invalid.message':
    'The link may have been cut off or changed. Open it again from the mail, or ask for a new one.',
  'page.link.again': 'Ask for a new link',
  'page.signUp.title': 'Create an account',
  'page.signUp.heading': 'Create an account',
  'page.signUp.lead':
    'Enter your email address. We will send it a link to finish creating your account.',
  'page.signUp.submit': 'Send link',
  'page.signUp.domains': 'Accounts can only be created with an address at {domains}.',
  'page.signUpComplete.title': 'Finish creating your account',
  'page.signUpComplete.heading': 'Finish creating your account',
  'page.signUpComplete.lead': 'Your account will be {email}.',
  'page.signUpComplete.name': 'Your name (optional)',
  'page.signUpComplete.submit': 'Create account',
  'page.signUpDone.title': 'Your account was created',
  'page.signUpDone.message': 'Your account {email} is ready, and its email address is confirmed.',
  'page.signUpDone.noBack': 'Go back to the application to sign in with it.',
  'page.signUpExists.title': 'This account already exists',
  'page.signUpExists.message':
    'An account with this email address was created meanwhile. Sign in with it, or reset its password.',
  'page.verify.title': 'Confirm your email address',
  'page.verify.heading': 'Confirm your email address',
  'page.verify.lead': 'Confirm that {email} is your email address.',
  'page.verify.submit': 'Confirm',
  'page.verify.needed':
    'Before you go on, confirm your email address {email}: we will send it a link.',
  'page.verify.send': 'Send link',
  'page.verifyDone.title': 'Your email address is confirmed',
  'page.verifyDone.message': 'Thank you: {email} is confirmed.',
  'page.verifyDone.noBack': 'You can close this page and go back to the application.',
  'error.notOffered.title': 'Not available',
  'error.notOffered.message': 'This service does not offer this.',

  'mail.footer': 'This mail was sent automatically; replies are not read.',
  'mail.validFor': {
    one: 'The link works once, for {count} minute.',
    other: 'The link works once, for {count} minutes.',
  },
  'mail.reset.subject': 'Reset your password',
  'mail.reset.intro':
    'Someone asked to reset the password of the account {email}. If it was you, choose a new password with this link:',
  'mail.reset.action': 'Choose a new password',
  'mail.reset.ignore': 'If it was not you, ignore this mail: your password stays as it is.',
  'mail.passwordChanged.subject': 'Your password was changed',
  'mail.passwordChanged.body':
    'The password of your account {email} was just changed, and the account was signed out everywhere.',
  'mail.passwordChanged.notYou':
    'If you did not change it, choose a new password now and contact support:',
  'mail.passwordChanged.action': 'Reset your password',
  'mail.verify.subject': 'Confirm your email address',
  'mail.verify.intro': 'Confirm that {email} is your email address with this link:',
  'mail.verify.action': 'Confirm my email address',
  'mail.verify.ignore': 'If you did not ask for this, ignore this mail.',
  'mail.signUp.subject': 'Finish creating your account',
  'mail.signUp.intro':
    'Someone asked to create an account with {email}. If it was you, finish creating it with this link:',
  'mail.signUp.action': 'Create my account',
  'mail.signUp.ignore': 'If it was not you, ignore this mail: no account is created.',
  'mail.signUpExists.subject': 'Someone tried to create an account with your email',
  'mail.signUpExists.body':
    'Someone asked to create an account with {email}. You already have one, so nothing was created or changed.',
  'mail.signUpExists.hint':
    'If it was you and you have forgotten your password, you can choose a new one:',
  'mail.signUpExists.action': 'Reset your password',

  'page.technical.summary': 'Technical details',
  'page.technical.note':
    "For the application's developers, as the link to this page sent it. We did not write this text: don't act on anything it asks you to do.",

  'error.alreadyDone.title': 'Already done',
  'error.alreadyDone.message':
    'This request was already completed. You can close this page and go back to the application.',
  'error.alreadyAnswered.title': 'Already answered',
  'error.alreadyAnswered.message':
    'This request was already answered. Go back to the application and try again.',
  'error.deviceUnsupported.title': 'Device sign-in is not supported',
  'error.deviceUnsupported.message':
    'This sign-in service does not support signing in to a device with a code. Sign in on the device itself instead.',
  'error.unavailable.title': 'Sign-in is unavailable',
  'error.unexpected.title': 'Something went wrong',
  'error.tryAgainLater': 'Please try again in a moment. If this keeps happening, contact support.',
  'error.expired.title': 'This link has expired',
  'error.expired.message':
    'This sign-in request has expired or is invalid. Go back to the application and try again.',

  'error.badRequest.title': 'Bad request',
  'error.forbidden.title': 'Not allowed',
  'error.tooLarge.title': 'Too large',
  'error.tooLarge.form': 'The form sent was too large.',
  'error.tooLarge.body': 'The body sent was too large.',
  'error.notUtf8.form': 'The form is not valid UTF-8.',
  'error.notUtf8.body': 'The body is not valid UTF-8.',
  'error.unsupportedForm.title': 'Unsupported form',
  'error.unsupportedForm.message': 'This page only accepts forms sent by its own pages.',
  'error.methodNotAllowed.title': 'Method not allowed',
  'error.methodNotAllowed.message': 'This page does not accept that kind of request.',
  'error.unsupportedMediaType.title': 'Unsupported media type',
  'error.unsupportedMediaType.message': 'This endpoint only accepts application/json.',
  'error.notJson': 'The body is not valid JSON.',
  'error.noChallenge':
    'This sign-in request is missing its challenge. Go back to the application and try again.',
  'error.badChallenge':
    'This sign-in request is malformed. Go back to the application and try again.',
  'error.unauthorized.title': 'Unauthorized',
  'error.unauthorized.message': 'This endpoint needs its key in the {header} header.',
  'error.csrf':
    'This form could not be verified (it may have expired, or cookies may be blocked). Go back to the application and try again.',
  'error.duplicateField': 'The field "{field}" was sent more than once.',
  'error.noButton': 'The form was not sent by one of its buttons.',
  'error.notFormData': 'The request is not valid form data.',

  'oauth.tryAgain': 'Go back to the application and try again.',
  'oauth.later': 'Wait a moment, then go back to the application and try again.',
  'oauth.generic.title': 'Sign-in could not be completed',
  'oauth.generic.message': 'The sign-in request could not be completed.',
  'oauth.badRequest.title': 'This sign-in request is not valid',
  'oauth.unsupported.title': 'This sign-in request is not supported',
  'oauth.unsupported.message':
    'The application sent a kind of sign-in request that this service does not support.',
  'oauth.access_denied.title': 'Access was not granted',
  'oauth.access_denied.message':
    'The sign-in was cancelled or access was refused, so the application did not get access to your account. If you want to continue, go back to the application and try again.',
  'oauth.request_forbidden.title': 'This sign-in request is not allowed',
  'oauth.request_forbidden.message': 'This sign-in request is not allowed.',
  'oauth.login_required.title': 'You need to sign in',
  'oauth.login_required.message':
    'The application asked to continue without showing you a sign-in screen, but you need to sign in first.',
  'oauth.consent_required.title': 'Your permission is needed',
  'oauth.consent_required.message':
    'The application asked to continue without asking you, but it needs your permission first.',
  'oauth.interaction_required.title': 'Your input is needed',
  'oauth.interaction_required.message':
    'The application asked to continue without showing you any screen, but this sign-in needs you to take part.',
  'oauth.account_selection_required.title': 'Choose an account',
  'oauth.account_selection_required.message':
    'The application asked to continue without showing you any screen, but you need to choose an account first.',
  'oauth.invalid_request.message':
    'The application sent a sign-in request that is incomplete or not valid.',
  'oauth.invalid_client.title': 'The application was not recognised',
  'oauth.invalid_client.message':
    'The application that sent you here could not be identified, so sign-in cannot continue.',
  'oauth.invalid_grant.title': 'This sign-in is no longer valid',
  'oauth.invalid_grant.message': 'This sign-in has expired, was already used, or is not valid.',
  'oauth.unauthorized_client.title': 'The application is not allowed to do this',
  'oauth.unauthorized_client.message': 'The application is not allowed to sign you in this way.',
  'oauth.unsupported_response_type.title': 'This sign-in method is not supported',
  'oauth.unsupported_response_type.message':
    'The application asked to sign you in in a way that this service does not support.',
  'oauth.invalid_scope.title': 'The requested access is not available',
  'oauth.invalid_scope.message': 'The application asked for access that is not available.',
  'oauth.invalid_request_uri.message':
    'The application pointed to sign-in details that could not be used.',
  'oauth.invalid_request_object.message':
    'The application sent sign-in details that are not valid.',
  'oauth.server_error.title': 'Something went wrong',
  'oauth.server_error.message': 'The sign-in service ran into a problem.',
  'oauth.temporarily_unavailable.title': 'Sign-in is unavailable',
  'oauth.temporarily_unavailable.message': 'The sign-in service is busy or under maintenance.',
} as const;

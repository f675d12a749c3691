/**
 * The English catalog, and the source of the message keys: every other catalog must have exactly
 * these keys (a type error, and test/unit/i18n/catalogs.test.ts). Plain text only: the views
 * escape it. `{name}` is a placeholder; an object is a plural message picked by
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

  'page.secondFactor.title': 'Two-step verification',
  'page.secondFactor.heading': 'Enter your code',
  'page.secondFactor.lead':
    'Open your authenticator app and enter the 6-digit code for this account.',
  'page.secondFactor.recoveryLead':
    'Enter one of the recovery codes you saved when you set up two-step verification. Each code works once.',
  'page.secondFactor.code': 'Authenticator code',
  'page.secondFactor.recoveryCode': 'Recovery code',
  'page.secondFactor.submit': 'Verify',
  'page.secondFactor.cancel': 'Cancel',
  'page.secondFactor.useRecovery': 'Use a recovery code instead',
  'page.secondFactor.useTotp': 'Use your authenticator app instead',
  'page.secondFactor.wrongCode': 'That code is not valid. Check it and try again.',
  'page.enrol.title': 'Set up an authenticator app',
  'page.enrol.scan':
    'Scan this QR code with your authenticator app, or type the key below into it. Then enter the 6-digit code the app shows.',
  'page.enrol.qrLabel': 'QR code for your authenticator app',
  'page.enrol.secretLabel': 'Key:',
  'page.enrol.code': 'Code from the app',
  'page.enrol.submit': 'Turn on',
  'page.enrol.wrongCode':
    'That code does not match. Check the time on your device and try the newest code.',
  'page.enrol.doneTitle': 'Save your recovery codes',
  'page.enrol.doneLead':
    'Two-step verification is on. If you lose your device, sign in with one of these codes instead of a code from the app. Each works once.',
  'page.enrol.codesWarning':
    'They are shown only now: print them or keep them in a password manager.',
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

  'error.secondFactorNeeded.title': 'A second step is needed',
  'error.secondFactorNeeded.message':
    'This application needs a sign-in with a second step, such as an authenticator app, and your account has none set up yet. Set one up, then go back to the application and try again.',
  'error.clientMisconfigured.title': 'This application cannot sign you in',
  'error.clientMisconfigured.message':
    'Its sign-in settings are not valid. Contact the operator of this service.',
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

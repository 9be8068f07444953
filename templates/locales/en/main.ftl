# Gatehouse's words in English. Each language is a folder beside this one with the same
# keys (a test fails on a missing or an unused key). Placeables like { $app } are filled in.

language-name = English
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Every page's header and footer
nav-label = Main
nav-admin = Admin
nav-your-account = Your account
nav-log-out = Log out
nav-log-in = Log in
nav-sign-up = Sign up
footer-tagline = Gatehouse — accounts people can trust.
footer-help = Help:

## Fields and their errors
field-email = Email address
field-password = Password
error-email-empty = Enter your email address.
error-email-too-long = That email address is too long.
error-email-invalid = Enter an email address like name@example.com.
error-password-too-short = Use at least { $min } characters.
error-password-too-long = Use at most { $max } characters.
error-password-common = This password is one of the most common ones. Choose one that is harder to guess.
error-password-control = Passwords can't contain control characters.

## Log in
login-title = Log in
login-continue-to = Log in to continue to { $app }.
login-then-that-page = Log in to see that page; you will be taken there next.
login-remember = Keep me signed in for 30 days
login-or = or
login-continue-with = Continue with { $provider }
login-provider-unavailable = { $provider } is unavailable right now
login-with-passkey = Log in with a passkey
login-forgot = Forgot your password?
login-new-here = New here?
login-create-account = Create an account
login-error-password-missing = Enter your password.
login-error-refused = The email or password is incorrect.

## Sign up and confirming the address
register-title = Sign up
register-heading = Create your account
register-password-hint = At least { $min } characters. A few unrelated words make a strong password that is easy to remember.
register-have-account = Already have an account?
check-email-title = Check your email
check-email-sent = We sent a message to the address you gave. Open the link in it to confirm your address, then log in.
check-email-hint = The link is valid for 24 hours. Nothing arrived after a few minutes? Check your spam folder, or ask for a new link:
check-email-resend = Send a new link
verify-title = Confirm your email
verify-heading = Confirm your email address
verify-press = Press the button to confirm { $email } as the address of your account.
verify-confirm = Confirm
verified-title = Email confirmed
verified-before-heading = This address is already confirmed
verified-before = { $email } was confirmed with this link before; there is nothing more to do.
verified-heading = Your email address is confirmed
verified-now = { $email } is now verified.
verified-to-account = Go to your account

## The account area
account-nav-overview = Overview
account-nav-profile = Profile
account-nav-settings = Email and password
account-nav-two-factor = Two-step login
account-nav-passkeys = Passkeys
account-nav-sessions = Sessions
account-nav-tokens = API tokens
account-nav-apps = Apps with access
account-nav-activity = Activity
account-nav-delete = Delete account
overview-heading = Your account
overview-verified = verified
overview-not-verified = not verified
overview-member-since = Member since
overview-previous-sign-in = Previous sign-in
overview-none-before = None before this one
overview-failed = Failed sign-ins
overview-failed-since = { $count } since your last sign-in
overview-see-when = see when
overview-signed-in-on = Signed in on
overview-devices = { $count ->
    [one] 1 device
   *[other] { $count } devices
}
overview-manage = manage
overview-no-password-passkey = Your account has no password: you sign in with a passkey.
overview-no-password-provider = Your account has no password: you sign in with a provider below.
overview-set-password = To set one, use
overview-providers = Sign-in providers
overview-linked-as = linked as { $email }
overview-not-linked = not linked
overview-remove = Remove
overview-link = Link
language-heading = Language
language-hint = For these pages and the mail we send you.
language-browser = Your browser's language
language-save = Save language

## Mail
mail-verify-subject = Confirm your email address
mail-verify-body =
    Hello,

    Please confirm that this is your email address by opening the link below and pressing "Confirm":

    { $link }

    The link is valid for 24 hours and can be used once.

    If you did not sign up for an account, you can ignore this message: nothing happens
    until the address is confirmed.

## Notices after a change
notice-password-changed = Your password was changed. Every other session was signed out.
notice-email-change-sent = Check the inbox of the new address: your email changes when you confirm it there.
notice-session-revoked = That session was signed out.
notice-others-revoked = Every other session was signed out.
notice-token-revoked = The API token was revoked.
notice-passkey-added = The passkey was added. You can now log in with it, without your password.
notice-provider-linked = The provider is linked: signing in with it now signs in to this account.
notice-provider-unlinked = The provider is no longer linked to this account.
notice-app-revoked = The app no longer has access. It must ask you again to sign you in.
notice-passkey-renamed = The passkey was renamed.
notice-passkey-deleted = The passkey was deleted. It can no longer be used to log in.
notice-two-factor-off = Two-step login is off. Signing in asks for your password only.
notice-profile-saved = Your profile was saved. Apps see it the next time you sign in to them.
admin-notice-verified = The address is marked confirmed.
admin-notice-disabled = The account is disabled and signed out everywhere.
admin-notice-enabled = The account can sign in again.
admin-notice-signed-out = The account was signed out everywhere.
admin-notice-two-factor-reset = Two-step login is off for this account; its owner was mailed.
admin-notice-role-granted = The role was granted.
admin-notice-role-revoked = The role was revoked.
admin-notice-unchanged = Nothing to change: it already was so.
admin-notice-deleted = The account was deleted and its owner mailed.
notice-language-saved = Your language is saved.

## The second step, the address not yet confirmed, a forgotten password
second-step-title = Two-step login
second-step-recovery-code = Recovery code
second-step-recovery-hint = One of the ten codes you saved when you turned on two-step login. Each works once.
second-step-use-app = Use the app's code instead
second-step-app-code = Code from your authenticator app
second-step-app-hint = Six digits. Lost your phone?
second-step-use-recovery = Use a recovery code instead
second-step-continue = Continue
second-step-use-passkey = Use a passkey instead
second-step-not-you = Not you?
second-step-start-again = Start again
second-step-locked-out = Locked out with no recovery code? Ask the people who run this site to reset two-step login.
second-step-wrong-code = That code is not right. Enter the current code from your app, or a recovery code.
unverified-title = Confirm your email first
unverified-heading = Confirm your email address first
unverified-text = Your password is right, but { $email } is not confirmed yet. Open the link we emailed you, or get a new one:
unverified-resend = Send a new confirmation link
resend-sent = If that address belongs to an account that is not confirmed yet, a new confirmation link is on its way.
forgot-sent = If an account uses that address, a link to choose a new password is on its way. It is valid for one hour.
forgot-back = Back to log in
forgot-text = Enter the email address of your account and we will send you a link to choose a new password.
forgot-send = Send the link
reset-title = Choose a new password
field-new-password = New password
password-at-least = At least { $min } characters.
field-revoke-api-tokens = Also revoke every API token
reset-submit = Set the new password
reset-done-title = Password changed
reset-done-heading = Your password is changed
reset-done-text = Every session of your account was signed out. Log in with your new password.

## The home page, confirmations, errors
home-title = Welcome
home-welcome-back = Welcome back
home-signed-in-as = You are signed in as { $email }.
home-heading = Accounts people can trust
home-text = Sign up with your email address and a password, confirm the address from the link we send you, then log in.
home-link = Home
notice-signed-out = You are signed out.
notice-account-deleted = Your account and everything kept about it are deleted. Goodbye.
error-back-to-form = Back to the form
cancel = Cancel
confirm-email-heading = Confirm your new email address
confirm-email-done-heading = Your email address is changed
confirm-email-done = Your account's address is now { $email }.
confirm-email-press = Press the button to make { $email } the address of your account.
reconfirm-title = Confirm it is you
reconfirm-text = You signed in more than ten minutes ago. Enter your password again to make this change; it is made as soon as the password is right.
reconfirm-password = Your password
reconfirm-submit = Confirm and continue
token-error-ask = Ask for a new one:
token-error-from-account = You can ask for a new link from
token-error-account-page = your account page
error-enter-password = Enter your password.
error-enter-current-password = Enter your current password.
error-not-your-password = That is not your password.
error-not-your-current-password = That is not your current password.

## Email and password, sessions, deleting the account
error-already-your-address = That is already your address.
settings-password-heading = Change your password
field-current-password = Current password
settings-password-hint = Every other session is signed out when the password changes.
settings-password-submit = Change password
settings-email-heading = Change your email address
settings-email-hint = Now { $email }. We send a link to the new address; the change happens when you confirm it there.
field-new-email = New email address
settings-email-submit = Send confirmation link
delete-heading = Delete your account
delete-text = This deletes your account and everything kept about it (sessions, API tokens, activity), at once and for good. We send a last mail to say it is done.
delete-submit = Delete my account
sessions-heading = Where you are signed in
sessions-this-device = this device
sessions-last-seen = last seen { $when }
sessions-signed-in = signed in { $when }
sessions-sign-out = Sign out
sessions-sign-out-others = Sign out everywhere else
sessions-only-one = This is your only session.

## Two-step login in the account area
two-factor-wrong-code = That code is not right. Enter the current code from your app.
two-factor-unverified = Confirm your email address first: two-step login needs an address we know is yours.
two-factor-already-on = Two-step login is already on. Turn it off first to move it to another app.
notice-two-factor-on = Two-step login is on. Every other session was signed out.
two-factor-setup-expired = That setup has expired or was replaced. Start again below.
two-factor-wrong-disable-code = That code is not right (or was used already).
two-factor-codes-heading = Your recovery codes
two-factor-codes-text = Each code signs you in once if you lose your phone. Save them somewhere safe now (print them, or keep them in a password manager): they are not shown again.
keep-download = Download
keep-copy = Copy
keep-print = Print
two-factor-scan-heading = Scan this with your authenticator app
two-factor-scan-hint = Any app that shows six-digit codes works: Google Authenticator, Aegis, 1Password, Bitwarden and others. Nothing changes until you enter the first code.
two-factor-type-key = Cannot scan? Type this key into the app instead:
two-factor-setup-link = The setup link, for apps that take one
two-factor-code-now = The code the app shows now
two-factor-turn-on = Turn on two-step login
two-factor-on = On
two-factor-off = Off
two-factor-on-text = Signing in asks for your password and then a code from your authenticator app.
two-factor-codes-left = { $count } of 10 recovery codes left.
two-factor-off-text = Signing in asks for your password only. With two-step login, a stolen password is not enough: signing in also takes a code from an app on your phone.
two-factor-set-up = Set up an authenticator app
two-factor-new-codes = New recovery codes
two-factor-new-codes-hint = Makes ten new codes; the old ones stop working.
two-factor-make-codes = Make new recovery codes
two-factor-turn-off = Turn off two-step login
two-factor-disable-code = Code from your app, or a recovery code

## API tokens
tokens-never = never
tokens-new-heading = Your new token
tokens-copy-now = Copy it now: it is not shown again.
tokens-hint = For scripts and programs: send a token in the header
tokens-none = You have no API tokens.
tokens-created = created { $when }
tokens-expires = expires { $when }
tokens-last-used = last used { $when }
tokens-revoke = Revoke
tokens-create-heading = Create a token
tokens-name = Name
tokens-scope = Scope
tokens-expiry = Expires after (days, empty for never)
tokens-create = Create token

## The activity log
event-logged-in = Logged in
event-login-failed = Failed login attempt
event-logged-out = Logged out
event-email-verified = Email address confirmed
event-password-changed = Password changed
event-password-reset = Password reset by email link
event-email-change-requested = Email change requested
event-email-changed = Email address changed
event-session-revoked = A session was signed out
event-other-sessions-revoked = All other sessions were signed out
event-two-factor-enabled = Two-step login turned on
event-two-factor-disabled = Two-step login turned off
event-two-factor-reset = Two-step login reset by an administrator
event-recovery-codes-renewed = New recovery codes made
event-recovery-code-used = Signed in with a recovery code
event-second-step-failed = Wrong two-step login code
event-passkey-added = Passkey added
event-passkey-removed = Passkey deleted
event-provider-linked = Sign-in provider linked
event-provider-unlinked = Sign-in provider unlinked
event-admin-verified = Email address marked confirmed by an administrator
event-admin-disabled = Account disabled by an administrator
event-admin-enabled = Account enabled again by an administrator
event-admin-sessions-revoked = Signed out everywhere by an administrator
event-role-granted = Role granted
event-role-revoked = Role revoked
event-user-deleted = Deleted an account
event-api-token-created = API token created
event-api-token-revoked = API token revoked
event-app-allowed = An app was allowed to sign you in
event-app-access-revoked = An app's access was taken away
event-other = Account activity
how-password = password
how-password-and-code = password and code
how-password-and-recovery-code = password and recovery code
how-passkey = passkey
how-provider = sign-in provider
event-with = { $what } with { $how }
activity-heading = Recent activity
activity-nothing = Nothing yet.

## Passkeys, apps, questions before a change
passkeys-hint = A passkey logs you in with your fingerprint, face or screen lock instead of your password, and cannot be phished. It also works as the second step of two-step login.
passkeys-none = You have no passkeys.
passkeys-added = added { $when }
passkeys-never-used = never used
passkeys-rename = Rename
passkeys-new-name = New name
passkeys-save = Save
passkeys-delete = Delete
passkeys-add = Add a passkey
passkeys-unavailable = Passkeys are not available on this site: it is reached by an IP address, and passkeys need a domain name. The people who run it can set BASE_URL to one.
passkeys-needs-recent = Adding a passkey needs a recent sign-in. Confirm your password first.
passkeys-confirm-password = Confirm your password
passkeys-needs-javascript = Adding a passkey needs JavaScript. Your password and two-step login work without it.
passkeys-name-hint = So you can tell your passkeys apart: this browser's name, or the device or security key it is on. You can rename it later.
apps-hint = Apps you allowed to sign you in with this account. Removing one signs it out: it must ask you again.
apps-none = No app has access to your account.
apps-allowed = allowed { $when }
apps-remove = Remove access
confirm-revoke-others-title = Sign out everywhere else?
confirm-revoke-others-consequence = Every other browser and device signed in to your account is signed out at once, and the apps you signed in to with it must sign you in again. This browser stays signed in.
confirm-passkey-delete-title = Delete the passkey “{ $name }”?
confirm-passkey-delete-consequence = You can no longer log in with it. The device keeps it until you remove it there too.
confirm-passkey-delete-button = Delete the passkey
confirm-disable-title = Disable { $email }?
confirm-disable-consequence = The account is signed out everywhere at once and cannot sign in, nor use its tokens, until an administrator enables it again. Nothing is deleted.
confirm-disable-button = Disable the account
confirm-revoke-sessions-title = Sign { $email } out everywhere?
confirm-revoke-sessions-consequence = Every session of the account ends at once, with the refresh tokens of its programs and apps. They can sign in again.
confirm-revoke-sessions-button = Sign out everywhere
confirm-delete-title = Delete { $email }?
confirm-delete-consequence = The account is deleted with its sessions, tokens and activity, at once and for good, and its owner is mailed that it is done. This cannot be undone.
confirm-delete-button = Delete the account

## The profile
profile-heading = Your profile
profile-hint = What apps that sign you in with this account see besides your email address. Both are optional.
profile-name-hint = As you would like to be addressed, say “Ada Lovelace”.
profile-username = Username
profile-username-hint = 2 to 32 letters, digits, dots, dashes or underscores; no two accounts share one. Apps without it see your email address.
profile-save = Save profile
error-bad-name = Enter a name of 100 characters or fewer, on one line.
error-bad-username = Use 2 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.
error-username-taken = That username is taken. Choose another.

## Mail about the account
mail-already-registered-subject = Someone tried to sign up with your email address
mail-already-registered-verify =
    Your address is not confirmed yet. To confirm it, open this link and press "Confirm":

    { $link }

mail-already-registered-body =
    Hello,

    Someone (perhaps you) just tried to create an account with this email address. You
    already have an account, so no new one was made.

    { $verify }If it was you, log in here (you can reset a forgotten password from that page):

    { $link }

    If it was not you, you can ignore this message: your account has not changed.
mail-reset-subject = Reset your password
mail-reset-body =
    Hello,

    Someone (hopefully you) asked to reset the password of the account with this email
    address. To choose a new password, open this link:

    { $link }

    The link is valid for one hour and can be used once. If you did not ask for this, you can
    ignore this message: your password has not changed.
mail-confirm-new-email-subject = Confirm your new email address
mail-confirm-new-email-body =
    Hello,

    Please confirm that this is the new email address of your account by opening the link
    below and pressing "Confirm":

    { $link }

    The link is valid for 24 hours and can be used once. Until it is confirmed, your account
    keeps its old address. If you did not ask for this, you can ignore this message.
mail-notice-body =
    Hello,

    { $what }

    If this was not you, reset your password now with the link below, and check the sessions and activity on your account page.

    { $link }
mail-password-changed-subject = Your password was changed
mail-password-changed = The password of your account was just changed, and every other session was signed out.
mail-password-reset-subject = Your password was reset
mail-password-reset = The password of your account was just reset from an emailed link, and every session was signed out.
mail-email-change-requested-subject = Your email address is about to change
mail-email-change-requested = Someone signed in to your account asked to change its email address to { $new_email }. Nothing changes until that address is confirmed from the link we sent to it.
mail-email-already-in-use-subject = Someone tried to use your email address
mail-email-already-in-use = Someone asked to move another account to this email address. You already have an account with it, so nothing was changed.
mail-account-deleted-subject = Your account was deleted
mail-account-deleted = Your account and everything kept about it were deleted. We are sorry to see you go.
mail-failed-logins-subject = Several failed attempts to log in to your account
mail-failed-logins = Someone tried several wrong passwords for your account, so further attempts are slowed down for a while. You can still log in from a browser you used before.
mail-two-factor-enabled-subject = Two-step login is on
mail-two-factor-enabled = Two-step login was just turned on for your account: signing in now also asks for a code from your authenticator app. Every other session was signed out.
mail-two-factor-disabled-subject = Two-step login is off
mail-two-factor-disabled = Two-step login was just turned off for your account: signing in asks for your password only.
mail-two-factor-reset-subject = Two-step login was reset
mail-two-factor-reset = The people who run this site turned two-step login off for your account, as you asked them to. Sign in with your password and turn it on again from your account page.
mail-recovery-code-used-subject = A recovery code was used
mail-recovery-code-used = A recovery code was just used to sign in to your account. { $left } of your recovery codes are left; you can print a new set on your account page.
mail-passkey-added-subject = A passkey was added to your account
mail-passkey-added = A passkey named "{ $name }" was just added to your account: it can now sign in to your account without your password.
mail-passkey-removed-subject = A passkey was deleted from your account
mail-passkey-removed = A passkey was just deleted from your account: it can no longer be used to sign in.
mail-provider-linked-subject = Your account was linked to { $provider }
mail-provider-linked = Your account was linked to { $provider }: signing in with { $provider } now signs in to it.
mail-provider-unlinked-subject = Your account was unlinked from { $provider }
mail-provider-unlinked = Your account is no longer linked to { $provider }: signing in with { $provider } no longer signs in to it.

## Apps: forward auth's refusals, OpenID Connect's consent and logout
denied-title = Access refused
denied-unknown-request = { $product } could not tell which page this is for: the proxy that asked is not one it trusts.
denied-by-rule = This page is closed to everyone.
denied-missing-role = The account you are signed in with does not have access to this page. Ask an administrator for it.
denied-read-only = This token may only read; this request would change something.
denied-two-step-title = Two-step login needed
denied-two-step = This page asks for a sign-in with two-step login: your password and a code from your authenticator app.
denied-set-up-two-step = Set up two-step login
denied-already-set-up = Already set up?
denied-log-in-again = Log in again with your code to open this page.
denied-another-account = Use another account
denied-log-out-there = where you can also log out.
consent-title = Allow { $app }?
consent-heading = Allow { $app } to use your { $product } account?
consent-asks = You are signed in as { $email }. { $app } asks to:
consent-destination = Your answer takes you back to { $host }.
consent-hint = It never sees your password. You can take this back at any time from your account page (Apps with access).
consent-allow = Allow
consent-deny = Deny
scope-openid = Know who you are on this site (an account number)
scope-email = See your email address
scope-profile = See your name and username
scope-roles = See your roles
scope-groups = See your groups (your roles)
scope-offline-access = Stay signed in while you are away
logout-confirm-title = Log out of { $product }?
logout-confirm-text = { $app } asks to log you out, but its request was not made for this sign-in: you are signed in here as { $email }.
logout-confirm-hint = If you did not just log out of { $app }, another site may be trying to sign you out: stay signed in.
logout-confirm-stay = Stay signed in

## Error pages: problem-<its type> and problem-<its type>-detail
problem-bad-request = Bad request
problem-bad-request-detail = The request could not be understood.
problem-unauthenticated = Sign-in required
problem-unauthenticated-detail = Sign in to continue.
problem-invalid-credentials = Invalid credentials
problem-invalid-credentials-detail = The credential sent is wrong, expired or revoked.
problem-mfa-required = Second step required
problem-mfa-required-detail = This account uses two-step login: the code from its authenticator app is needed too.
problem-forbidden = Request refused
problem-forbidden-detail = This request came from another site, or the form had expired. Go back, reload the page and try again.
problem-not-found = Page not found
problem-not-found-detail = There is nothing at this address.
problem-method-not-allowed = Method not allowed
problem-method-not-allowed-detail = This address does not accept that method.
problem-timeout = Request timed out
problem-timeout-detail = The request took too long. Try again.
problem-conflict = Not possible
problem-conflict-detail = The change conflicts with the current state.
problem-invalid-value = Invalid value
problem-invalid-value-detail = A value is not allowed here.
problem-payload-too-large = Request too large
problem-payload-too-large-detail = The request body is larger than this server accepts.
problem-unsupported-media-type = Unsupported content type
problem-unsupported-media-type-detail = The body is not of the type this address takes.
problem-too-many-requests = Too many attempts
problem-too-many-requests-detail = Wait a little before you try again.
problem-wait-seconds = { $count ->
    [one] Wait 1 second before you try again.
   *[other] Wait { $count } seconds before you try again.
}
problem-wait-minutes = { $count ->
    [one] Wait 1 minute before you try again.
   *[other] Wait { $count } minutes before you try again.
}
problem-server-error = Something went wrong
problem-server-error-detail = The server could not finish this request. Try again in a moment.
problem-unavailable = Temporarily unavailable
problem-unavailable-detail = The service cannot reach its database right now. Nothing you sent was lost; try again in a moment.

## Links that no longer work, and what the pages' scripts say
link-new-reset-link = Send a new reset link
link-expired = This link has expired
link-valid-for = { $hours ->
    [one] Links like this one are valid for one hour.
   *[other] Links like this one are valid for { $hours } hours.
}
link-used = This link has already been used
link-works-once = Each link works once.
link-invalid = This link is not valid
link-invalid-why = It may have been cut short when it was copied, or replaced by a newer link.
keep-copied = Copied
keep-copy-failed = Select the text to copy it
passkey-cancelled = No passkey was used: the request was cancelled or timed out.
passkey-failed = Something went wrong. Try again.

## The admin area
admin-area = Admin area
admin-users = Users
admin-security-log = Security log
admin-never = never
admin-by-deleted-admin = admin #{ $id }, since deleted
admin-by-operator = operator
admin-by-owner = owner
admin-by = by { $who }
admin-no-such-account = No account has that address.
admin-find = Find by part of the email address
admin-search = Search
admin-disabled = disabled
admin-unconfirmed = unconfirmed
admin-two-step = two-step
admin-joined = joined { $when }
admin-last-login = last login { $when }
admin-no-accounts = No accounts yet.
admin-no-match = No account matches that.
admin-pages = Pages
admin-previous = Previous
admin-next = Next
admin-page = Page { $number }
admin-account-filter = Account (email address or id)
admin-what-happened = What happened
admin-everything = Everything
admin-show = Show
admin-newer = Newer
admin-older = Older
admin-nothing-here = Nothing here.
admin-own-account = This is your own account: here you cannot disable or delete it, or remove your admin role. Change it from
admin-account = Account
admin-confirmed = confirmed
admin-not-confirmed = not confirmed
admin-last-login-label = Last login
admin-failed-since = { $count } since the last login
admin-mark-confirmed = Mark address confirmed
admin-enable = Enable the account
admin-roles = Roles
admin-no-roles = No roles: a plain account.
admin-grant-role = Grant a role
admin-role-hint = 1 to 32 characters: a-z, 0-9, _ and -. The role admin opens this area.
admin-grant = Grant
admin-no-sessions = Not signed in anywhere.
admin-recent-events = Recent security events
admin-whole-log = The whole log of this account
admin-delete-text = This deletes the account with its sessions, tokens and activity, at once and for good, and mails its owner that it is done.
admin-delete-button = Delete { $email }
admin-on = on
admin-off = off
admin-failed-logins = Failed logins

## Refusals a handler explains in its own words
error-missing-role = Your account does not have the role this page needs.
error-not-a-role = That is not a role name.
error-two-factor-off = Two-step login is off: there is nothing to change.
error-two-factor-changed = Two-step login changed in another tab. Reload the page.
error-address-taken = That address now belongs to another account, so your address was not changed.
error-passkey-refused = The passkey was not accepted. Try again, or log in with your password.
error-passkey-confirm-first = Confirm your password on the passkeys page first, then add the passkey.
error-passkey-registered = This passkey is already registered.
error-passkey-only-way-in = This passkey is the only way into your account. Set a password ("Forgot your password?") first.
error-account-disabled = This account has been disabled. Contact the people who run this site.
error-unverified-for-programs = Confirm your email address before using the API.
error-link-sign-in-first = Sign in to the account to link, then try again.
error-provider-answer = The provider's answer could not be verified. Start again from the login page.
error-form-unusable = The form could not be used.
error-no-such-language = There are no words for that language.
error-passkey-no-ceremony = No passkey registration is in progress here, or it expired. Start again.
error-passkey-answer = The authenticator's answer was not accepted.
error-provider-no-email = The provider did not confirm an email address for you, so no account can be made with it.
error-provider-sign-in-expired = This sign-in has expired or was already used. Start again from the login page.
error-logout-link = This sign-out link did not come with a valid ID token. Log out from your account page instead.
error-authorize-unavailable = The sign-in could not be started. Try again in a moment.
error-authorize-unknown-app = The app that sent you here is not known to this site.
error-authorize-unregistered-return = The app that sent you here asked to return to an address it has not registered.
error-provider-email-taken = An account here already uses the email address the provider gave. Log in to it with your password, then link the provider from your account page.
error-token-expiry = A token may expire in 1 to 3650 days, or never.
error-token-name = Give the token a name of 1 to 100 characters.
error-token-scope = The scope must be "read" or "read-write".
admin-error-kind = Choose a kind of event from the list.
admin-error-page = A page number is a whole number from 1 to 1000.
admin-error-account = Enter an email address or an account's id.
admin-error-search-short = Type at least three characters of the address.
admin-error-search-long = That is longer than any email address.
tokens-name-example = backup script
device-on = { $browser } on { $system }
device-unknown = Unknown device
passkey-default-name = Passkey
error-provider-refused = The provider did not sign you in. Start again from the login page.

## What each problem type means, for /problems/<type>
problem-type-bad-request = The request could not be understood: a field is missing or malformed.
problem-type-unauthenticated = The request needs a signed-in session or a credential.
problem-type-invalid-credentials = The credential sent (password, API token, access or refresh token) is wrong, expired or revoked.
problem-type-mfa-required = The password was right, but the account uses two-step login: send the code from its authenticator app (or a recovery code) as "otp" with the password.
problem-type-forbidden = The credential is valid but may not do this, or the request came from another site.
problem-type-not-found = There is nothing at this address, or nothing of yours.
problem-type-method-not-allowed = This address does not accept that HTTP method.
problem-type-timeout = The request took too long to arrive or to answer.
problem-type-conflict = The change conflicts with the current state, e.g. an address now taken.
problem-type-invalid-value = A field is well-formed but its value is not allowed, e.g. a role name with other characters.
problem-type-payload-too-large = The request body is larger than this server accepts.
problem-type-unsupported-media-type = The body is not of the type this address takes.
problem-type-too-many-requests = Too many requests in a short time; Retry-After says when to try again.
problem-type-server-error = The server could not finish the request; nothing is shown of why.
problem-type-unavailable = The database cannot be reached right now; nothing sent was lost.

## Who may sign up
register-by-invitation = Sign-up here is by invitation. If someone invited you, use the link in their email; if you have an account, log in.
register-closed = This site does not take sign-ups: its operators create the accounts. If you have one, log in.
register-domain-not-allowed = Sign-up is open to addresses at { $domains } only.
error-signup-not-open = This site does not make accounts by signing in with another provider. Ask for an invitation, or log in with the account you have.

## Invitations
invitation-title = Accept your invitation
invitation-for = You are invited to make an account for { $email }.
invitation-roles = It comes with these roles: { $roles }.
invitation-accept = Set password and sign in
invitation-with-passkey = Use a passkey instead
invitation-expired = This invitation has expired. Ask the person who invited you to send it again.
invitation-accepted = This invitation was used already. If the account is yours, log in.
invitation-revoked = This invitation was withdrawn. Ask the person who invited you if you still need an account.
invitation-unknown = This invitation link is not valid: it may have been cut short when it was copied, or replaced by a newer one.
notice-welcome = Welcome! Your account is ready and you are signed in.
notice-add-a-passkey = Your account is ready. Add a passkey now: it is how you will sign in.
how-invitation = invitation
how-email-code = emailed code
admin-invitations = Invitations
admin-invitations-open = Waiting to be accepted
admin-invitations-none = No invitations are waiting.
admin-invite = Send invitation
admin-invitation-roles = Roles (optional)
admin-invitation-roles-hint = Role names separated by commas, such as editor, admin.
admin-invitation-expired = expired
admin-invitation-sent = sent { $when }
admin-invitation-until = valid until { $when }
admin-invitation-resend = Send again
admin-invitation-revoke = Revoke
admin-notice-invited = The invitation is on its way.
admin-notice-invited-has-account = That address has an account already: its owner was mailed a notice instead.
admin-notice-invitation-resent = The invitation was sent again with a new link; the old link no longer works.
admin-notice-invitation-revoked = The invitation was revoked: its link no longer works.
mail-invitation-subject = You are invited to make an account
mail-invitation-body =
    Hello,

    You are invited to make an account. To accept, open this link and choose a password
    or a passkey:

    { $link }

    The link is valid for { $days } days and can be used once. If you did not expect this
    invitation, you can ignore this message.
mail-invited-with-an-account =
    Hello,

    You were invited to make an account with this email address, but you have one already.
    Log in here:

    { $link }

    If you have forgotten your password, use "Forgot your password?" on that page.

## A new browser signed in
mail-new-device-subject = A new sign-in to your account
mail-new-device-body =
    Hello,

    Your account was just signed in to from a browser it had not been used from before:

    When: { $when }
    Browser: { $device }
    Network address: { $ip }

    If this was you, there is nothing to do. If it was not, open this link: it ends that
    session at once and lets you choose a new password.

    { $link }

    The link is valid for 7 days. You can turn these messages off under "Sessions" in your
    account.
alert-title = Was this not you?
alert-explain = A browser new to the account { $email } signed in. If it was not you, end that session now and choose a new password, which ends every other session too.
alert-end-session = End that session and choose a new password
alert-if-you = If it was you, close this page: nothing changes.
alerts-heading = Sign-in alerts
alerts-new-device = Email me when a browser that has not signed in before signs in to my account
alerts-save = Save
notice-alerts-saved = Your sign-in alert setting is saved.

## Sign in with a code by email
login-email-code = Email me a code instead
code-title = Sign in with a code
code-ask-hint = We will email you a code to type here. It works once, in this browser, for 10 minutes.
code-send = Email me a code
code-sent = If { $email } has an account here, a code is on its way to it. Type it below.
code-field = Code from the email
code-ask-again = Send a new code
code-use-password = Use my password instead
code-error-email = Enter an email address like name@example.com.
code-error-refused = That code is not right, or no longer valid. Check the latest email, or ask for a new code.
mail-login-code-subject = Your sign-in code
mail-login-code-body =
    Hello,

    Your code to sign in is:

    { $code }

    Type it in the browser where you asked for it. It works once, for { $minutes } minutes.
    If you did not ask for it, you can ignore this message: nobody can use the code
    without that browser.

# Gatehouse auf Deutsch: dieselben Schlüssel wie en/main.ftl.

language-name = Deutsch
date = { $day }. { $month } { $year }
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember

## Kopf- und Fußzeile jeder Seite
nav-label = Hauptmenü
nav-admin = Verwaltung
nav-your-account = Ihr Konto
nav-log-out = Abmelden
nav-log-in = Anmelden
nav-sign-up = Registrieren
footer-tagline = Gatehouse — Konten, denen man vertrauen kann.
footer-help = Hilfe:

## Felder und ihre Fehler
field-email = E-Mail-Adresse
field-password = Passwort
error-email-empty = Geben Sie Ihre E-Mail-Adresse ein.
error-email-too-long = Diese E-Mail-Adresse ist zu lang.
error-email-invalid = Geben Sie eine E-Mail-Adresse wie name@example.com ein.
error-password-too-short = Verwenden Sie mindestens { $min } Zeichen.
error-password-too-long = Verwenden Sie höchstens { $max } Zeichen.
error-password-common = Dieses Passwort gehört zu den häufigsten. Wählen Sie eines, das schwerer zu erraten ist.
error-password-control = Passwörter dürfen keine Steuerzeichen enthalten.

## Anmelden
login-title = Anmelden
login-continue-to = Melden Sie sich an, um zu { $app } zu gelangen.
login-then-that-page = Melden Sie sich an, um diese Seite zu sehen; danach geht es direkt dorthin.
login-remember = 30 Tage angemeldet bleiben
login-or = oder
login-continue-with = Weiter mit { $provider }
login-provider-unavailable = { $provider } ist gerade nicht erreichbar
login-with-passkey = Mit einem Passkey anmelden
login-forgot = Passwort vergessen?
login-new-here = Neu hier?
login-create-account = Konto erstellen
login-error-password-missing = Geben Sie Ihr Passwort ein.
login-error-refused = E-Mail-Adresse oder Passwort ist falsch.

## Registrieren und die Adresse bestätigen
register-title = Registrieren
register-heading = Konto erstellen
register-password-hint = Mindestens { $min } Zeichen. Einige zusammenhanglose Wörter ergeben ein starkes Passwort, das man sich leicht merkt.
register-have-account = Sie haben schon ein Konto?
check-email-title = Prüfen Sie Ihre E-Mails
check-email-sent = Wir haben eine Nachricht an die angegebene Adresse geschickt. Öffnen Sie den Link darin, um Ihre Adresse zu bestätigen, und melden Sie sich dann an.
check-email-hint = Der Link ist 24 Stunden gültig. Nach ein paar Minuten noch nichts da? Sehen Sie im Spam-Ordner nach oder fordern Sie einen neuen Link an:
check-email-resend = Neuen Link senden
verify-title = E-Mail bestätigen
verify-heading = E-Mail-Adresse bestätigen
verify-press = Drücken Sie die Schaltfläche, um { $email } als Adresse Ihres Kontos zu bestätigen.
verify-confirm = Bestätigen
verified-title = E-Mail bestätigt
verified-before-heading = Diese Adresse ist bereits bestätigt
verified-before = { $email } wurde mit diesem Link schon bestätigt; es ist nichts mehr zu tun.
verified-heading = Ihre E-Mail-Adresse ist bestätigt
verified-now = { $email } ist jetzt bestätigt.
verified-to-account = Zu Ihrem Konto

## Der Kontobereich
account-nav-overview = Übersicht
account-nav-profile = Profil
account-nav-settings = E-Mail und Passwort
account-nav-two-factor = Zweistufige Anmeldung
account-nav-passkeys = Passkeys
account-nav-sessions = Sitzungen
account-nav-tokens = API-Tokens
account-nav-apps = Apps mit Zugriff
account-nav-activity = Aktivität
account-nav-delete = Konto löschen
overview-heading = Ihr Konto
overview-verified = bestätigt
overview-not-verified = nicht bestätigt
overview-member-since = Mitglied seit
overview-previous-sign-in = Vorherige Anmeldung
overview-none-before = Keine vor dieser
overview-failed = Fehlgeschlagene Anmeldungen
overview-failed-since = { $count } seit Ihrer letzten Anmeldung
overview-see-when = wann?
overview-signed-in-on = Angemeldet auf
overview-devices = { $count ->
    [one] 1 Gerät
   *[other] { $count } Geräten
}
overview-manage = verwalten
overview-no-password-passkey = Ihr Konto hat kein Passwort: Sie melden sich mit einem Passkey an.
overview-no-password-provider = Ihr Konto hat kein Passwort: Sie melden sich über einen der Dienste unten an.
overview-set-password = Um eines festzulegen, nutzen Sie
overview-providers = Anmeldedienste
overview-linked-as = verknüpft als { $email }
overview-not-linked = nicht verknüpft
overview-remove = Entfernen
overview-link = Verknüpfen
language-heading = Sprache
language-hint = Für diese Seiten und die E-Mails, die wir Ihnen senden.
language-browser = Die Sprache Ihres Browsers
language-save = Sprache speichern

## E-Mails
mail-verify-subject = Bestätigen Sie Ihre E-Mail-Adresse
mail-verify-body =
    Hallo,

    bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist: Öffnen Sie den Link unten und drücken Sie „Bestätigen“:

    { $link }

    Der Link ist 24 Stunden gültig und kann einmal verwendet werden.

    Wenn Sie sich nicht registriert haben, können Sie diese Nachricht ignorieren: Es geschieht
    nichts, solange die Adresse nicht bestätigt ist.

## Hinweise nach einer Änderung
notice-password-changed = Ihr Passwort wurde geändert. Alle anderen Sitzungen wurden abgemeldet.
notice-email-change-sent = Sehen Sie im Postfach der neuen Adresse nach: Ihre E-Mail-Adresse ändert sich, sobald Sie sie dort bestätigen.
notice-session-revoked = Diese Sitzung wurde abgemeldet.
notice-others-revoked = Alle anderen Sitzungen wurden abgemeldet.
notice-token-revoked = Das API-Token wurde widerrufen.
notice-passkey-added = Der Passkey wurde hinzugefügt. Sie können sich jetzt damit anmelden, ohne Passwort.
notice-provider-linked = Der Dienst ist verknüpft: Eine Anmeldung darüber meldet Sie jetzt bei diesem Konto an.
notice-provider-unlinked = Der Dienst ist nicht mehr mit diesem Konto verknüpft.
notice-app-revoked = Die App hat keinen Zugriff mehr. Sie muss Sie erneut fragen, um Sie anzumelden.
notice-passkey-renamed = Der Passkey wurde umbenannt.
notice-passkey-deleted = Der Passkey wurde gelöscht. Er kann nicht mehr zur Anmeldung verwendet werden.
notice-two-factor-off = Die zweistufige Anmeldung ist aus. Bei der Anmeldung wird nur noch Ihr Passwort abgefragt.
notice-profile-saved = Ihr Profil wurde gespeichert. Apps sehen es, wenn Sie sich das nächste Mal bei ihnen anmelden.
admin-notice-verified = Die Adresse ist als bestätigt markiert.
admin-notice-disabled = Das Konto ist gesperrt und überall abgemeldet.
admin-notice-enabled = Das Konto kann sich wieder anmelden.
admin-notice-signed-out = Das Konto wurde überall abgemeldet.
admin-notice-two-factor-reset = Die zweistufige Anmeldung ist für dieses Konto aus; der Inhaber wurde per E-Mail informiert.
admin-notice-role-granted = Die Rolle wurde vergeben.
admin-notice-role-revoked = Die Rolle wurde entzogen.
admin-notice-unchanged = Nichts zu ändern: Es war schon so.
admin-notice-deleted = Das Konto wurde gelöscht und der Inhaber per E-Mail informiert.
notice-language-saved = Ihre Sprache ist gespeichert.

## Der zweite Schritt, die noch nicht bestätigte Adresse, ein vergessenes Passwort
second-step-title = Zweistufige Anmeldung
second-step-recovery-code = Wiederherstellungscode
second-step-recovery-hint = Einer der zehn Codes, die Sie beim Einschalten der zweistufigen Anmeldung gespeichert haben. Jeder gilt einmal.
second-step-use-app = Stattdessen den Code der App verwenden
second-step-app-code = Code aus Ihrer Authenticator-App
second-step-app-hint = Sechs Ziffern. Telefon verloren?
second-step-use-recovery = Stattdessen einen Wiederherstellungscode verwenden
second-step-continue = Weiter
second-step-use-passkey = Stattdessen einen Passkey verwenden
second-step-not-you = Nicht Sie?
second-step-start-again = Neu beginnen
second-step-locked-out = Ausgesperrt und ohne Wiederherstellungscode? Bitten Sie die Betreiber dieser Seite, die zweistufige Anmeldung zurückzusetzen.
second-step-wrong-code = Dieser Code stimmt nicht. Geben Sie den aktuellen Code aus Ihrer App oder einen Wiederherstellungscode ein.
unverified-title = Zuerst die E-Mail bestätigen
unverified-heading = Bestätigen Sie zuerst Ihre E-Mail-Adresse
unverified-text = Ihr Passwort stimmt, aber { $email } ist noch nicht bestätigt. Öffnen Sie den Link aus unserer E-Mail oder fordern Sie einen neuen an:
unverified-resend = Neuen Bestätigungslink senden
resend-sent = Wenn diese Adresse zu einem noch nicht bestätigten Konto gehört, ist ein neuer Bestätigungslink unterwegs.
forgot-sent = Wenn ein Konto diese Adresse nutzt, ist ein Link zum Festlegen eines neuen Passworts unterwegs. Er ist eine Stunde gültig.
forgot-back = Zurück zur Anmeldung
forgot-text = Geben Sie die E-Mail-Adresse Ihres Kontos ein, und wir senden Ihnen einen Link, mit dem Sie ein neues Passwort festlegen.
forgot-send = Link senden
reset-title = Neues Passwort festlegen
field-new-password = Neues Passwort
password-at-least = Mindestens { $min } Zeichen.
field-revoke-api-tokens = Auch alle API-Tokens widerrufen
reset-submit = Neues Passwort speichern
reset-done-title = Passwort geändert
reset-done-heading = Ihr Passwort ist geändert
reset-done-text = Alle Sitzungen Ihres Kontos wurden abgemeldet. Melden Sie sich mit Ihrem neuen Passwort an.

## Die Startseite, Bestätigungen, Fehler
home-title = Willkommen
home-welcome-back = Willkommen zurück
home-signed-in-as = Sie sind angemeldet als { $email }.
home-heading = Konten, denen man vertrauen kann
home-text = Registrieren Sie sich mit Ihrer E-Mail-Adresse und einem Passwort, bestätigen Sie die Adresse über den Link, den wir Ihnen senden, und melden Sie sich dann an.
home-link = Startseite
notice-signed-out = Sie sind abgemeldet.
notice-account-deleted = Ihr Konto und alles, was dazu gespeichert war, sind gelöscht. Auf Wiedersehen.
error-back-to-form = Zurück zum Formular
cancel = Abbrechen
confirm-email-heading = Neue E-Mail-Adresse bestätigen
confirm-email-done-heading = Ihre E-Mail-Adresse ist geändert
confirm-email-done = Die Adresse Ihres Kontos ist jetzt { $email }.
confirm-email-press = Drücken Sie die Schaltfläche, um { $email } zur Adresse Ihres Kontos zu machen.
reconfirm-title = Bestätigen Sie, dass Sie es sind
reconfirm-text = Sie haben sich vor mehr als zehn Minuten angemeldet. Geben Sie Ihr Passwort erneut ein, um diese Änderung vorzunehmen; sie erfolgt, sobald das Passwort stimmt.
reconfirm-password = Ihr Passwort
reconfirm-submit = Bestätigen und weiter
token-error-ask = Fordern Sie einen neuen an:
token-error-from-account = Einen neuen Link können Sie anfordern auf
token-error-account-page = Ihrer Kontoseite
error-enter-password = Geben Sie Ihr Passwort ein.
error-enter-current-password = Geben Sie Ihr aktuelles Passwort ein.
error-not-your-password = Das ist nicht Ihr Passwort.
error-not-your-current-password = Das ist nicht Ihr aktuelles Passwort.

## E-Mail und Passwort, Sitzungen, das Konto löschen
error-already-your-address = Das ist bereits Ihre Adresse.
settings-password-heading = Passwort ändern
field-current-password = Aktuelles Passwort
settings-password-hint = Alle anderen Sitzungen werden abgemeldet, wenn sich das Passwort ändert.
settings-password-submit = Passwort ändern
settings-email-heading = E-Mail-Adresse ändern
settings-email-hint = Derzeit { $email }. Wir senden einen Link an die neue Adresse; die Änderung erfolgt, wenn Sie sie dort bestätigen.
field-new-email = Neue E-Mail-Adresse
settings-email-submit = Bestätigungslink senden
delete-heading = Ihr Konto löschen
delete-text = Damit werden Ihr Konto und alles, was dazu gespeichert ist (Sitzungen, API-Tokens, Aktivität), sofort und endgültig gelöscht. Eine letzte E-Mail bestätigt es.
delete-submit = Mein Konto löschen
sessions-heading = Wo Sie angemeldet sind
sessions-this-device = dieses Gerät
sessions-last-seen = zuletzt aktiv { $when }
sessions-signed-in = angemeldet { $when }
sessions-sign-out = Abmelden
sessions-sign-out-others = Überall sonst abmelden
sessions-only-one = Dies ist Ihre einzige Sitzung.

## Zweistufige Anmeldung im Kontobereich
two-factor-wrong-code = Dieser Code stimmt nicht. Geben Sie den aktuellen Code aus Ihrer App ein.
two-factor-unverified = Bestätigen Sie zuerst Ihre E-Mail-Adresse: Die zweistufige Anmeldung braucht eine Adresse, von der wir wissen, dass sie Ihnen gehört.
two-factor-already-on = Die zweistufige Anmeldung ist bereits an. Schalten Sie sie zuerst aus, um sie in eine andere App zu übernehmen.
notice-two-factor-on = Die zweistufige Anmeldung ist an. Alle anderen Sitzungen wurden abgemeldet.
two-factor-setup-expired = Diese Einrichtung ist abgelaufen oder wurde ersetzt. Beginnen Sie unten neu.
two-factor-wrong-disable-code = Dieser Code stimmt nicht (oder wurde schon verwendet).
two-factor-codes-heading = Ihre Wiederherstellungscodes
two-factor-codes-text = Jeder Code meldet Sie einmal an, falls Sie Ihr Telefon verlieren. Bewahren Sie sie jetzt sicher auf (drucken Sie sie aus oder legen Sie sie in einem Passwortmanager ab): Sie werden nicht noch einmal angezeigt.
keep-download = Herunterladen
keep-copy = Kopieren
keep-print = Drucken
two-factor-scan-heading = Scannen Sie dies mit Ihrer Authenticator-App
two-factor-scan-hint = Jede App, die sechsstellige Codes anzeigt, funktioniert: Google Authenticator, Aegis, 1Password, Bitwarden und andere. Nichts ändert sich, bis Sie den ersten Code eingeben.
two-factor-type-key = Scannen klappt nicht? Geben Sie stattdessen diesen Schlüssel in die App ein:
two-factor-setup-link = Der Einrichtungslink, für Apps, die ihn annehmen
two-factor-code-now = Der Code, den die App gerade anzeigt
two-factor-turn-on = Zweistufige Anmeldung einschalten
two-factor-on = An
two-factor-off = Aus
two-factor-on-text = Bei der Anmeldung werden Ihr Passwort und dann ein Code aus Ihrer Authenticator-App abgefragt.
two-factor-codes-left = Noch { $count } von 10 Wiederherstellungscodes übrig.
two-factor-off-text = Bei der Anmeldung wird nur Ihr Passwort abgefragt. Mit der zweistufigen Anmeldung reicht ein gestohlenes Passwort nicht: Die Anmeldung braucht auch einen Code aus einer App auf Ihrem Telefon.
two-factor-set-up = Authenticator-App einrichten
two-factor-new-codes = Neue Wiederherstellungscodes
two-factor-new-codes-hint = Erzeugt zehn neue Codes; die alten gelten nicht mehr.
two-factor-make-codes = Neue Wiederherstellungscodes erzeugen
two-factor-turn-off = Zweistufige Anmeldung ausschalten
two-factor-disable-code = Code aus Ihrer App oder ein Wiederherstellungscode

## API-Tokens
tokens-never = nie
tokens-new-heading = Ihr neues Token
tokens-copy-now = Kopieren Sie es jetzt: Es wird nicht noch einmal angezeigt.
tokens-hint = Für Skripte und Programme: Senden Sie ein Token im Header
tokens-none = Sie haben keine API-Tokens.
tokens-created = erstellt { $when }
tokens-expires = läuft ab: { $when }
tokens-last-used = zuletzt verwendet: { $when }
tokens-revoke = Widerrufen
tokens-create-heading = Token erstellen
tokens-name = Name
tokens-scope = Umfang
tokens-expiry = Läuft ab nach (Tagen, leer für nie)
tokens-create = Token erstellen

## Das Aktivitätsprotokoll
event-logged-in = Angemeldet
event-login-failed = Fehlgeschlagener Anmeldeversuch
event-logged-out = Abgemeldet
event-email-verified = E-Mail-Adresse bestätigt
event-password-changed = Passwort geändert
event-password-reset = Passwort per E-Mail-Link zurückgesetzt
event-email-change-requested = Änderung der E-Mail-Adresse angefordert
event-email-changed = E-Mail-Adresse geändert
event-session-revoked = Eine Sitzung wurde abgemeldet
event-other-sessions-revoked = Alle anderen Sitzungen wurden abgemeldet
event-two-factor-enabled = Zweistufige Anmeldung eingeschaltet
event-two-factor-disabled = Zweistufige Anmeldung ausgeschaltet
event-two-factor-reset = Zweistufige Anmeldung von einem Administrator zurückgesetzt
event-recovery-codes-renewed = Neue Wiederherstellungscodes erzeugt
event-recovery-code-used = Mit einem Wiederherstellungscode angemeldet
event-second-step-failed = Falscher Code der zweistufigen Anmeldung
event-passkey-added = Passkey hinzugefügt
event-passkey-removed = Passkey gelöscht
event-provider-linked = Anmeldedienst verknüpft
event-provider-unlinked = Anmeldedienst getrennt
event-admin-verified = E-Mail-Adresse von einem Administrator als bestätigt markiert
event-admin-disabled = Konto von einem Administrator gesperrt
event-admin-enabled = Konto von einem Administrator wieder freigegeben
event-admin-sessions-revoked = Von einem Administrator überall abgemeldet
event-role-granted = Rolle vergeben
event-role-revoked = Rolle entzogen
event-user-deleted = Ein Konto gelöscht
event-api-token-created = API-Token erstellt
event-api-token-revoked = API-Token widerrufen
event-app-allowed = Einer App wurde erlaubt, Sie anzumelden
event-app-access-revoked = Einer App wurde der Zugriff entzogen
event-other = Kontoaktivität
how-password = Passwort
how-password-and-code = Passwort und Code
how-password-and-recovery-code = Passwort und Wiederherstellungscode
how-passkey = Passkey
how-provider = Anmeldedienst
event-with = { $what } mit { $how }
activity-heading = Letzte Aktivität
activity-nothing = Noch nichts.

## Passkeys, Apps, Rückfragen vor einer Änderung
passkeys-hint = Ein Passkey meldet Sie mit Fingerabdruck, Gesicht oder Bildschirmsperre statt mit Ihrem Passwort an und lässt sich nicht abfischen. Er dient auch als zweiter Schritt der zweistufigen Anmeldung.
passkeys-none = Sie haben keine Passkeys.
passkeys-added = hinzugefügt { $when }
passkeys-never-used = nie verwendet
passkeys-rename = Umbenennen
passkeys-new-name = Neuer Name
passkeys-save = Speichern
passkeys-delete = Löschen
passkeys-add = Passkey hinzufügen
passkeys-unavailable = Passkeys sind auf dieser Seite nicht verfügbar: Sie wird über eine IP-Adresse erreicht, und Passkeys brauchen einen Domainnamen. Die Betreiber können BASE_URL auf einen setzen.
passkeys-needs-recent = Zum Hinzufügen eines Passkeys braucht es eine frische Anmeldung. Bestätigen Sie zuerst Ihr Passwort.
passkeys-confirm-password = Passwort bestätigen
passkeys-needs-javascript = Zum Hinzufügen eines Passkeys braucht es JavaScript. Passwort und zweistufige Anmeldung funktionieren auch ohne.
passkeys-name-hint = Damit Sie Ihre Passkeys auseinanderhalten: der Name dieses Browsers oder des Geräts bzw. Sicherheitsschlüssels, auf dem er liegt. Sie können ihn später umbenennen.
apps-hint = Apps, denen Sie erlaubt haben, Sie mit diesem Konto anzumelden. Entfernen meldet sie ab: Sie müssen Sie erneut fragen.
apps-none = Keine App hat Zugriff auf Ihr Konto.
apps-allowed = erlaubt { $when }
apps-remove = Zugriff entziehen
confirm-revoke-others-title = Überall sonst abmelden?
confirm-revoke-others-consequence = Alle anderen Browser und Geräte, die bei Ihrem Konto angemeldet sind, werden sofort abgemeldet, und Apps, bei denen Sie sich damit angemeldet haben, müssen Sie erneut anmelden. Dieser Browser bleibt angemeldet.
confirm-passkey-delete-title = Den Passkey „{ $name }“ löschen?
confirm-passkey-delete-consequence = Sie können sich damit nicht mehr anmelden. Das Gerät behält ihn, bis Sie ihn auch dort entfernen.
confirm-passkey-delete-button = Passkey löschen
confirm-disable-title = { $email } sperren?
confirm-disable-consequence = Das Konto wird sofort überall abgemeldet und kann sich weder anmelden noch seine Tokens verwenden, bis ein Administrator es wieder freigibt. Nichts wird gelöscht.
confirm-disable-button = Konto sperren
confirm-revoke-sessions-title = { $email } überall abmelden?
confirm-revoke-sessions-consequence = Jede Sitzung des Kontos endet sofort, mit den Refresh-Tokens seiner Programme und Apps. Sie können sich wieder anmelden.
confirm-revoke-sessions-button = Überall abmelden
confirm-delete-title = { $email } löschen?
confirm-delete-consequence = Das Konto wird mit seinen Sitzungen, Tokens und seiner Aktivität sofort und endgültig gelöscht, und der Inhaber erhält eine E-Mail darüber. Das lässt sich nicht rückgängig machen.
confirm-delete-button = Konto löschen

## Das Profil
profile-heading = Ihr Profil
profile-hint = Was Apps, die Sie mit diesem Konto anmelden, außer Ihrer E-Mail-Adresse sehen. Beides ist freiwillig.
profile-name-hint = Wie Sie angesprochen werden möchten, etwa „Ada Lovelace“.
profile-username = Benutzername
profile-username-hint = 2 bis 32 Buchstaben, Ziffern, Punkte, Binde- oder Unterstriche; keine zwei Konten teilen einen. Apps sehen ohne ihn Ihre E-Mail-Adresse.
profile-save = Profil speichern
error-bad-name = Geben Sie einen Namen mit höchstens 100 Zeichen in einer Zeile ein.
error-bad-username = Verwenden Sie 2 bis 32 Buchstaben, Ziffern, Punkte, Binde- oder Unterstriche, beginnend mit einem Buchstaben oder einer Ziffer.
error-username-taken = Dieser Benutzername ist vergeben. Wählen Sie einen anderen.

## E-Mails zum Konto
mail-already-registered-subject = Jemand wollte sich mit Ihrer E-Mail-Adresse registrieren
mail-already-registered-verify =
    Ihre Adresse ist noch nicht bestätigt. Öffnen Sie dazu diesen Link und drücken Sie „Bestätigen“:

    { $link }

mail-already-registered-body =
    Hallo,

    jemand (vielleicht Sie) wollte gerade ein Konto mit dieser E-Mail-Adresse anlegen. Sie
    haben bereits ein Konto, daher wurde kein neues erstellt.

    { $verify }Wenn Sie es waren, melden Sie sich hier an (dort können Sie auch ein vergessenes Passwort zurücksetzen):

    { $link }

    Wenn Sie es nicht waren, können Sie diese Nachricht ignorieren: Ihr Konto ist unverändert.
mail-reset-subject = Setzen Sie Ihr Passwort zurück
mail-reset-body =
    Hallo,

    jemand (hoffentlich Sie) möchte das Passwort des Kontos mit dieser E-Mail-Adresse
    zurücksetzen. Um ein neues Passwort festzulegen, öffnen Sie diesen Link:

    { $link }

    Der Link ist eine Stunde gültig und kann einmal verwendet werden. Wenn Sie das nicht
    angefordert haben, können Sie diese Nachricht ignorieren: Ihr Passwort ist unverändert.
mail-confirm-new-email-subject = Bestätigen Sie Ihre neue E-Mail-Adresse
mail-confirm-new-email-body =
    Hallo,

    bitte bestätigen Sie, dass dies die neue E-Mail-Adresse Ihres Kontos ist: Öffnen Sie den
    Link unten und drücken Sie „Bestätigen“:

    { $link }

    Der Link ist 24 Stunden gültig und kann einmal verwendet werden. Bis zur Bestätigung behält
    Ihr Konto seine alte Adresse. Wenn Sie das nicht angefordert haben, können Sie diese
    Nachricht ignorieren.
mail-notice-body =
    Hallo,

    { $what }

    Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt über den Link unten zurück und prüfen Sie die Sitzungen und die Aktivität auf Ihrer Kontoseite.

    { $link }
mail-password-changed-subject = Ihr Passwort wurde geändert
mail-password-changed = Das Passwort Ihres Kontos wurde soeben geändert, und alle anderen Sitzungen wurden abgemeldet.
mail-password-reset-subject = Ihr Passwort wurde zurückgesetzt
mail-password-reset = Das Passwort Ihres Kontos wurde soeben über einen E-Mail-Link zurückgesetzt, und alle Sitzungen wurden abgemeldet.
mail-email-change-requested-subject = Ihre E-Mail-Adresse wird bald geändert
mail-email-change-requested = Jemand, der bei Ihrem Konto angemeldet ist, möchte dessen E-Mail-Adresse in { $new_email } ändern. Nichts ändert sich, bis diese Adresse über den Link bestätigt ist, den wir an sie geschickt haben.
mail-email-already-in-use-subject = Jemand wollte Ihre E-Mail-Adresse verwenden
mail-email-already-in-use = Jemand wollte ein anderes Konto auf diese E-Mail-Adresse umstellen. Sie haben bereits ein Konto damit, daher wurde nichts geändert.
mail-account-deleted-subject = Ihr Konto wurde gelöscht
mail-account-deleted = Ihr Konto und alles, was dazu gespeichert war, wurden gelöscht. Schade, dass Sie gehen.
mail-failed-logins-subject = Mehrere fehlgeschlagene Anmeldeversuche bei Ihrem Konto
mail-failed-logins = Jemand hat mehrere falsche Passwörter für Ihr Konto versucht, daher werden weitere Versuche eine Weile gebremst. Von einem Browser, den Sie schon benutzt haben, können Sie sich weiterhin anmelden.
mail-two-factor-enabled-subject = Die zweistufige Anmeldung ist an
mail-two-factor-enabled = Die zweistufige Anmeldung wurde soeben für Ihr Konto eingeschaltet: Die Anmeldung fragt jetzt auch nach einem Code aus Ihrer Authenticator-App. Alle anderen Sitzungen wurden abgemeldet.
mail-two-factor-disabled-subject = Die zweistufige Anmeldung ist aus
mail-two-factor-disabled = Die zweistufige Anmeldung wurde soeben für Ihr Konto ausgeschaltet: Die Anmeldung fragt nur noch nach Ihrem Passwort.
mail-two-factor-reset-subject = Die zweistufige Anmeldung wurde zurückgesetzt
mail-two-factor-reset = Die Betreiber dieser Seite haben die zweistufige Anmeldung für Ihr Konto auf Ihre Bitte hin ausgeschaltet. Melden Sie sich mit Ihrem Passwort an und schalten Sie sie auf Ihrer Kontoseite wieder ein.
mail-recovery-code-used-subject = Ein Wiederherstellungscode wurde verwendet
mail-recovery-code-used = Soeben wurde ein Wiederherstellungscode zur Anmeldung bei Ihrem Konto verwendet. { $left } Ihrer Wiederherstellungscodes sind übrig; auf Ihrer Kontoseite können Sie neue erzeugen.
mail-passkey-added-subject = Ihrem Konto wurde ein Passkey hinzugefügt
mail-passkey-added = Ein Passkey namens „{ $name }“ wurde soeben Ihrem Konto hinzugefügt: Er kann Sie jetzt ohne Passwort anmelden.
mail-passkey-removed-subject = Ein Passkey wurde aus Ihrem Konto gelöscht
mail-passkey-removed = Soeben wurde ein Passkey aus Ihrem Konto gelöscht: Er kann nicht mehr zur Anmeldung verwendet werden.
mail-provider-linked-subject = Ihr Konto wurde mit { $provider } verknüpft
mail-provider-linked = Ihr Konto wurde mit { $provider } verknüpft: Eine Anmeldung über { $provider } meldet Sie jetzt dort an.
mail-provider-unlinked-subject = Ihr Konto wurde von { $provider } getrennt
mail-provider-unlinked = Ihr Konto ist nicht mehr mit { $provider } verknüpft: Eine Anmeldung über { $provider } meldet Sie nicht mehr dort an.

## Apps: Ablehnungen der Weiterleitungsprüfung, Zustimmung und Abmeldung über OpenID Connect
denied-title = Zugriff verweigert
denied-unknown-request = { $product } konnte nicht erkennen, um welche Seite es geht: Der anfragende Proxy ist keiner, dem es vertraut.
denied-by-rule = Diese Seite ist für alle gesperrt.
denied-missing-role = Das Konto, mit dem Sie angemeldet sind, hat keinen Zugriff auf diese Seite. Bitten Sie einen Administrator darum.
denied-read-only = Dieses Token darf nur lesen; diese Anfrage würde etwas ändern.
denied-two-step-title = Zweistufige Anmeldung nötig
denied-two-step = Diese Seite verlangt eine Anmeldung mit zweistufiger Anmeldung: Ihr Passwort und einen Code aus Ihrer Authenticator-App.
denied-set-up-two-step = Zweistufige Anmeldung einrichten
denied-already-set-up = Schon eingerichtet?
denied-log-in-again = Melden Sie sich mit Ihrem Code erneut an, um diese Seite zu öffnen.
denied-another-account = Ein anderes Konto verwenden
denied-log-out-there = dort können Sie sich auch abmelden.
consent-title = { $app } erlauben?
consent-heading = { $app } erlauben, Ihr { $product }-Konto zu verwenden?
consent-asks = Sie sind angemeldet als { $email }. { $app } möchte:
consent-destination = Ihre Antwort bringt Sie zurück zu { $host }.
consent-hint = Die App sieht Ihr Passwort nie. Sie können das jederzeit auf Ihrer Kontoseite (Apps mit Zugriff) zurücknehmen.
consent-allow = Erlauben
consent-deny = Ablehnen
scope-openid = Wissen, wer Sie auf dieser Seite sind (eine Kontonummer)
scope-email = Ihre E-Mail-Adresse sehen
scope-profile = Ihren Namen und Benutzernamen sehen
scope-roles = Ihre Rollen sehen
scope-groups = Ihre Gruppen (Ihre Rollen) sehen
scope-offline-access = Angemeldet bleiben, während Sie weg sind
logout-confirm-title = Von { $product } abmelden?
logout-confirm-text = { $app } möchte Sie abmelden, aber die Anfrage galt nicht dieser Anmeldung: Sie sind hier angemeldet als { $email }.
logout-confirm-hint = Wenn Sie sich nicht gerade bei { $app } abgemeldet haben, versucht vielleicht eine andere Seite, Sie abzumelden: Bleiben Sie angemeldet.
logout-confirm-stay = Angemeldet bleiben

## Fehlerseiten: problem-<Art> und problem-<Art>-detail
problem-bad-request = Ungültige Anfrage
problem-bad-request-detail = Die Anfrage war nicht verständlich.
problem-unauthenticated = Anmeldung nötig
problem-unauthenticated-detail = Melden Sie sich an, um fortzufahren.
problem-invalid-credentials = Ungültige Zugangsdaten
problem-invalid-credentials-detail = Die gesendeten Zugangsdaten sind falsch, abgelaufen oder widerrufen.
problem-mfa-required = Zweiter Schritt nötig
problem-mfa-required-detail = Dieses Konto nutzt die zweistufige Anmeldung: Es braucht auch den Code aus der Authenticator-App.
problem-forbidden = Anfrage abgelehnt
problem-forbidden-detail = Diese Anfrage kam von einer anderen Seite, oder das Formular war abgelaufen. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
problem-not-found = Seite nicht gefunden
problem-not-found-detail = Unter dieser Adresse gibt es nichts.
problem-method-not-allowed = Methode nicht erlaubt
problem-method-not-allowed-detail = Diese Adresse nimmt diese Methode nicht an.
problem-timeout = Zeitüberschreitung
problem-timeout-detail = Die Anfrage hat zu lange gedauert. Versuchen Sie es noch einmal.
problem-conflict = Nicht möglich
problem-conflict-detail = Die Änderung passt nicht zum aktuellen Stand.
problem-invalid-value = Ungültiger Wert
problem-invalid-value-detail = Ein Wert ist hier nicht erlaubt.
problem-payload-too-large = Anfrage zu groß
problem-payload-too-large-detail = Der Inhalt der Anfrage ist größer, als dieser Server annimmt.
problem-unsupported-media-type = Nicht unterstützter Inhaltstyp
problem-unsupported-media-type-detail = Der Inhalt hat nicht den Typ, den diese Adresse annimmt.
problem-too-many-requests = Zu viele Versuche
problem-too-many-requests-detail = Warten Sie ein wenig, bevor Sie es noch einmal versuchen.
problem-wait-seconds = { $count ->
    [one] Warten Sie 1 Sekunde, bevor Sie es noch einmal versuchen.
   *[other] Warten Sie { $count } Sekunden, bevor Sie es noch einmal versuchen.
}
problem-wait-minutes = { $count ->
    [one] Warten Sie 1 Minute, bevor Sie es noch einmal versuchen.
   *[other] Warten Sie { $count } Minuten, bevor Sie es noch einmal versuchen.
}
problem-server-error = Etwas ist schiefgegangen
problem-server-error-detail = Der Server konnte diese Anfrage nicht abschließen. Versuchen Sie es gleich noch einmal.
problem-unavailable = Vorübergehend nicht verfügbar
problem-unavailable-detail = Der Dienst erreicht seine Datenbank gerade nicht. Nichts von dem, was Sie gesendet haben, ist verloren; versuchen Sie es gleich noch einmal.

## Links, die nicht mehr gelten, und was die Skripte der Seiten sagen
link-new-reset-link = Neuen Link zum Zurücksetzen senden
link-expired = Dieser Link ist abgelaufen
link-valid-for = { $hours ->
    [one] Links wie dieser sind eine Stunde gültig.
   *[other] Links wie dieser sind { $hours } Stunden gültig.
}
link-used = Dieser Link wurde bereits verwendet
link-works-once = Jeder Link funktioniert nur einmal.
link-invalid = Dieser Link ist ungültig
link-invalid-why = Vielleicht wurde er beim Kopieren abgeschnitten oder durch einen neueren Link ersetzt.
keep-copied = Kopiert
keep-copy-failed = Markieren Sie den Text, um ihn zu kopieren
passkey-cancelled = Es wurde kein Passkey verwendet: Die Anfrage wurde abgebrochen oder ist abgelaufen.
passkey-failed = Etwas ist schiefgegangen. Versuchen Sie es noch einmal.

## Der Verwaltungsbereich
admin-area = Verwaltungsbereich
admin-users = Benutzer
admin-security-log = Sicherheitsprotokoll
admin-never = nie
admin-by-deleted-admin = Administrator #{ $id }, inzwischen gelöscht
admin-by-operator = Betreiber
admin-by-owner = Inhaber
admin-by = durch { $who }
admin-no-such-account = Kein Konto hat diese Adresse.
admin-find = Nach einem Teil der E-Mail-Adresse suchen
admin-search = Suchen
admin-disabled = gesperrt
admin-unconfirmed = unbestätigt
admin-two-step = zweistufig
admin-joined = seit { $when }
admin-last-login = letzte Anmeldung { $when }
admin-no-accounts = Noch keine Konten.
admin-no-match = Kein Konto passt dazu.
admin-pages = Seiten
admin-previous = Zurück
admin-next = Weiter
admin-page = Seite { $number }
admin-account-filter = Konto (E-Mail-Adresse oder ID)
admin-what-happened = Was geschah
admin-everything = Alles
admin-show = Anzeigen
admin-newer = Neuer
admin-older = Älter
admin-nothing-here = Hier ist nichts.
admin-own-account = Das ist Ihr eigenes Konto: Hier können Sie es weder sperren noch löschen noch Ihre Administratorrolle entfernen. Ändern Sie es über
admin-account = Konto
admin-confirmed = bestätigt
admin-not-confirmed = nicht bestätigt
admin-last-login-label = Letzte Anmeldung
admin-failed-since = { $count } seit der letzten Anmeldung
admin-mark-confirmed = Adresse als bestätigt markieren
admin-enable = Konto freigeben
admin-roles = Rollen
admin-no-roles = Keine Rollen: ein einfaches Konto.
admin-grant-role = Eine Rolle vergeben
admin-role-hint = 1 bis 32 Zeichen: a-z, 0-9, _ und -. Die Rolle admin öffnet diesen Bereich.
admin-grant = Vergeben
admin-no-sessions = Nirgends angemeldet.
admin-recent-events = Letzte Sicherheitsereignisse
admin-whole-log = Das ganze Protokoll dieses Kontos
admin-delete-text = Damit werden das Konto mit seinen Sitzungen, Tokens und seiner Aktivität sofort und endgültig gelöscht, und der Inhaber erhält eine E-Mail darüber.
admin-delete-button = { $email } löschen
admin-on = an
admin-off = aus
admin-failed-logins = Fehlgeschlagene Anmeldungen

## Ablehnungen, die ein Handler mit eigenen Worten erklärt
error-missing-role = Ihr Konto hat nicht die Rolle, die diese Seite braucht.
error-not-a-role = Das ist kein Rollenname.
error-two-factor-off = Die zweistufige Anmeldung ist aus: Es gibt nichts zu ändern.
error-two-factor-changed = Die zweistufige Anmeldung wurde in einem anderen Tab geändert. Laden Sie die Seite neu.
error-address-taken = Diese Adresse gehört inzwischen einem anderen Konto, daher wurde Ihre Adresse nicht geändert.
error-passkey-refused = Der Passkey wurde nicht angenommen. Versuchen Sie es noch einmal oder melden Sie sich mit Ihrem Passwort an.
error-passkey-confirm-first = Bestätigen Sie zuerst auf der Passkey-Seite Ihr Passwort und fügen Sie dann den Passkey hinzu.
error-passkey-registered = Dieser Passkey ist bereits registriert.
error-passkey-only-way-in = Dieser Passkey ist der einzige Weg in Ihr Konto. Legen Sie zuerst ein Passwort fest („Passwort vergessen?“).
error-account-disabled = Dieses Konto wurde gesperrt. Wenden Sie sich an die Betreiber dieser Seite.
error-unverified-for-programs = Bestätigen Sie Ihre E-Mail-Adresse, bevor Sie die API verwenden.
error-link-sign-in-first = Melden Sie sich bei dem Konto an, das verknüpft werden soll, und versuchen Sie es dann noch einmal.
error-provider-answer = Die Antwort des Dienstes ließ sich nicht prüfen. Beginnen Sie noch einmal auf der Anmeldeseite.
error-form-unusable = Das Formular ließ sich nicht verwenden.
error-no-such-language = Für diese Sprache gibt es keine Texte.
error-passkey-no-ceremony = Hier läuft keine Passkey-Registrierung, oder sie ist abgelaufen. Beginnen Sie neu.
error-passkey-answer = Die Antwort des Authenticators wurde nicht angenommen.
error-provider-no-email = Der Dienst hat keine E-Mail-Adresse für Sie bestätigt, daher lässt sich damit kein Konto anlegen.
error-provider-sign-in-expired = Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Beginnen Sie noch einmal auf der Anmeldeseite.
error-logout-link = Dieser Abmeldelink kam ohne gültiges ID-Token. Melden Sie sich stattdessen auf Ihrer Kontoseite ab.
error-authorize-unavailable = Die Anmeldung ließ sich nicht starten. Versuchen Sie es gleich noch einmal.
error-authorize-unknown-app = Die App, die Sie hierher geschickt hat, ist dieser Seite nicht bekannt.
error-authorize-unregistered-return = Die App, die Sie hierher geschickt hat, möchte zu einer Adresse zurück, die sie nicht registriert hat.
error-provider-email-taken = Ein Konto hier nutzt bereits die E-Mail-Adresse, die der Dienst genannt hat. Melden Sie sich dort mit Ihrem Passwort an und verknüpfen Sie den Dienst dann auf Ihrer Kontoseite.
error-token-expiry = Ein Token kann nach 1 bis 3650 Tagen ablaufen oder nie.
error-token-name = Geben Sie dem Token einen Namen mit 1 bis 100 Zeichen.
error-token-scope = Der Umfang muss „read“ oder „read-write“ sein.
admin-error-kind = Wählen Sie eine Art von Ereignis aus der Liste.
admin-error-page = Eine Seitenzahl ist eine ganze Zahl von 1 bis 1000.
admin-error-account = Geben Sie eine E-Mail-Adresse oder die ID eines Kontos ein.
admin-error-search-short = Geben Sie mindestens drei Zeichen der Adresse ein.
admin-error-search-long = Das ist länger als jede E-Mail-Adresse.
tokens-name-example = Backup-Skript
device-on = { $browser } unter { $system }
device-unknown = Unbekanntes Gerät
passkey-default-name = Passkey
error-provider-refused = Der Dienst hat Sie nicht angemeldet. Beginnen Sie noch einmal auf der Anmeldeseite.

## What each problem type means, for /problems/<type>
problem-type-bad-request = Die Anfrage war nicht verständlich: Ein Feld fehlt oder ist fehlerhaft.
problem-type-unauthenticated = Die Anfrage braucht eine angemeldete Sitzung oder Zugangsdaten.
problem-type-invalid-credentials = Die gesendeten Zugangsdaten (Passwort, API-Token, Zugriffs- oder Refresh-Token) sind falsch, abgelaufen oder widerrufen.
problem-type-mfa-required = Das Passwort stimmte, aber das Konto nutzt die zweistufige Anmeldung: Senden Sie mit dem Passwort den Code aus der Authenticator-App (oder einen Wiederherstellungscode) als „otp“.
problem-type-forbidden = Die Zugangsdaten sind gültig, dürfen dies aber nicht, oder die Anfrage kam von einer anderen Seite.
problem-type-not-found = Unter dieser Adresse gibt es nichts, oder nichts von Ihnen.
problem-type-method-not-allowed = Diese Adresse nimmt diese HTTP-Methode nicht an.
problem-type-timeout = Die Anfrage hat zu lange gebraucht, um anzukommen oder beantwortet zu werden.
problem-type-conflict = Die Änderung passt nicht zum aktuellen Stand, etwa weil eine Adresse inzwischen vergeben ist.
problem-type-invalid-value = Ein Feld ist richtig aufgebaut, aber sein Wert ist nicht erlaubt, etwa ein Rollenname mit anderen Zeichen.
problem-type-payload-too-large = Der Inhalt der Anfrage ist größer, als dieser Server annimmt.
problem-type-unsupported-media-type = Der Inhalt hat nicht den Typ, den diese Adresse annimmt.
problem-type-too-many-requests = Zu viele Anfragen in kurzer Zeit; Retry-After sagt, wann ein neuer Versuch möglich ist.
problem-type-server-error = Der Server konnte die Anfrage nicht abschließen; warum, wird nicht gezeigt.
problem-type-unavailable = Die Datenbank ist gerade nicht erreichbar; nichts Gesendetes ging verloren.

## Wer sich registrieren darf
register-by-invitation = Die Registrierung ist hier nur mit Einladung möglich. Wenn Sie eingeladen wurden, nutzen Sie den Link aus der E-Mail; wenn Sie ein Konto haben, melden Sie sich an.
register-closed = Diese Seite nimmt keine Registrierungen an: Die Konten legen ihre Betreiber an. Wenn Sie eines haben, melden Sie sich an.
register-domain-not-allowed = Registrieren können sich nur Adressen bei { $domains }.
error-signup-not-open = Diese Seite legt keine Konten bei der Anmeldung über einen anderen Anbieter an. Bitten Sie um eine Einladung oder melden Sie sich mit Ihrem Konto an.

## Einladungen
invitation-title = Einladung annehmen
invitation-for = Sie sind eingeladen, ein Konto für { $email } zu erstellen.
invitation-roles = Es erhält diese Rollen: { $roles }.
invitation-accept = Passwort festlegen und anmelden
invitation-with-passkey = Stattdessen einen Passkey verwenden
invitation-expired = Diese Einladung ist abgelaufen. Bitten Sie die Person, die Sie eingeladen hat, sie erneut zu senden.
invitation-accepted = Diese Einladung wurde bereits verwendet. Wenn das Konto Ihnen gehört, melden Sie sich an.
invitation-revoked = Diese Einladung wurde zurückgezogen. Fragen Sie die Person, die Sie eingeladen hat, wenn Sie noch ein Konto brauchen.
invitation-unknown = Dieser Einladungslink ist ungültig: Er wurde vielleicht beim Kopieren gekürzt oder durch einen neueren ersetzt.
notice-welcome = Willkommen! Ihr Konto ist bereit und Sie sind angemeldet.
notice-add-a-passkey = Ihr Konto ist bereit. Fügen Sie jetzt einen Passkey hinzu: Damit melden Sie sich an.
how-invitation = Einladung
how-email-code = Code per E-Mail
admin-invitations = Einladungen
admin-invitations-open = Warten auf Annahme
admin-invitations-none = Keine Einladungen offen.
admin-invite = Einladung senden
admin-invitation-roles = Rollen (optional)
admin-invitation-roles-hint = Rollennamen durch Kommas getrennt, etwa editor, admin.
admin-invitation-expired = abgelaufen
admin-invitation-sent = gesendet { $when }
admin-invitation-until = gültig bis { $when }
admin-invitation-resend = Erneut senden
admin-invitation-revoke = Zurückziehen
admin-notice-invited = Die Einladung ist unterwegs.
admin-notice-invited-has-account = Zu dieser Adresse gibt es schon ein Konto: Sein Inhaber hat stattdessen einen Hinweis erhalten.
admin-notice-invitation-resent = Die Einladung wurde mit einem neuen Link erneut gesendet; der alte Link gilt nicht mehr.
admin-notice-invitation-revoked = Die Einladung wurde zurückgezogen: Ihr Link gilt nicht mehr.
mail-invitation-subject = Sie sind eingeladen, ein Konto zu erstellen
mail-invitation-body =
    Hallo,

    Sie sind eingeladen, ein Konto zu erstellen. Um anzunehmen, öffnen Sie diesen Link und
    wählen Sie ein Passwort oder einen Passkey:

    { $link }

    Der Link ist { $days } Tage gültig und kann einmal verwendet werden. Wenn Sie diese
    Einladung nicht erwartet haben, können Sie diese Nachricht ignorieren.
mail-invited-with-an-account =
    Hallo,

    Sie wurden eingeladen, mit dieser E-Mail-Adresse ein Konto zu erstellen, haben aber
    schon eines. Melden Sie sich hier an:

    { $link }

    Wenn Sie Ihr Passwort vergessen haben, nutzen Sie dort „Passwort vergessen?“.

## Ein neuer Browser hat sich angemeldet
mail-new-device-subject = Eine neue Anmeldung bei Ihrem Konto
mail-new-device-body =
    Hallo,

    bei Ihrem Konto hat sich eben ein Browser angemeldet, mit dem es zuvor nicht genutzt
    wurde:

    Wann: { $when }
    Browser: { $device }
    Netzwerkadresse: { $ip }

    Wenn Sie das waren, ist nichts zu tun. Wenn nicht, öffnen Sie diesen Link: Er beendet
    diese Sitzung sofort und lässt Sie ein neues Passwort wählen.

    { $link }

    Der Link ist 7 Tage gültig. Sie können diese Nachrichten in Ihrem Konto unter
    „Sitzungen“ abschalten.
alert-title = Waren Sie das nicht?
alert-explain = Ein neuer Browser hat sich beim Konto { $email } angemeldet. Wenn Sie das nicht waren, beenden Sie diese Sitzung jetzt und wählen Sie ein neues Passwort: Alle anderen Sitzungen enden mit.
alert-end-session = Sitzung beenden und neues Passwort wählen
alert-if-you = Wenn Sie es waren, schließen Sie diese Seite: Es ändert sich nichts.
alerts-heading = Anmeldehinweise
alerts-new-device = Mir eine E-Mail senden, wenn sich ein Browser, der noch nie angemeldet war, bei meinem Konto anmeldet
alerts-save = Speichern
notice-alerts-saved = Ihre Einstellung für Anmeldehinweise ist gespeichert.

## Anmelden mit einem Code per E-Mail
login-email-code = Stattdessen einen Code per E-Mail erhalten
code-title = Mit einem Code anmelden
code-ask-hint = Wir senden Ihnen einen Code per E-Mail, den Sie hier eingeben. Er gilt einmal, in diesem Browser, 10 Minuten lang.
code-send = Code per E-Mail senden
code-sent = Wenn es zu { $email } hier ein Konto gibt, ist ein Code dorthin unterwegs. Geben Sie ihn unten ein.
code-field = Code aus der E-Mail
code-ask-again = Neuen Code senden
code-use-password = Stattdessen mein Passwort verwenden
code-error-email = Geben Sie eine E-Mail-Adresse wie name@example.com ein.
code-error-refused = Dieser Code stimmt nicht oder gilt nicht mehr. Prüfen Sie die neueste E-Mail oder fordern Sie einen neuen Code an.
mail-login-code-subject = Ihr Anmeldecode
mail-login-code-body =
    Hallo,

    Ihr Code zum Anmelden lautet:

    { $code }

    Geben Sie ihn in dem Browser ein, in dem Sie ihn angefordert haben. Er gilt einmal,
    { $minutes } Minuten lang. Wenn Sie ihn nicht angefordert haben, können Sie diese
    Nachricht ignorieren: Ohne diesen Browser kann niemand den Code verwenden.

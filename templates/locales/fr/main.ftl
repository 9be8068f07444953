# Gatehouse en français : les mêmes clés que en/main.ftl.

language-name = Français
date = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## L'en-tête et le pied de chaque page
nav-label = Menu principal
nav-admin = Administration
nav-your-account = Votre compte
nav-log-out = Se déconnecter
nav-log-in = Se connecter
nav-sign-up = S'inscrire
footer-tagline = Gatehouse — des comptes dignes de confiance.
footer-help = Aide :

## Les champs et leurs erreurs
field-email = Adresse e-mail
field-password = Mot de passe
error-email-empty = Saisissez votre adresse e-mail.
error-email-too-long = Cette adresse e-mail est trop longue.
error-email-invalid = Saisissez une adresse e-mail comme nom@example.com.
error-password-too-short = Utilisez au moins { $min } caractères.
error-password-too-long = Utilisez au plus { $max } caractères.
error-password-common = Ce mot de passe fait partie des plus courants. Choisissez-en un plus difficile à deviner.
error-password-control = Les mots de passe ne peuvent pas contenir de caractères de contrôle.

## Se connecter
login-title = Connexion
login-continue-to = Connectez-vous pour continuer vers { $app }.
login-then-that-page = Connectez-vous pour voir cette page ; vous y serez conduit ensuite.
login-remember = Rester connecté pendant 30 jours
login-or = ou
login-continue-with = Continuer avec { $provider }
login-provider-unavailable = { $provider } est indisponible pour le moment
login-with-passkey = Se connecter avec une clé d'accès
login-forgot = Mot de passe oublié ?
login-new-here = Nouveau ici ?
login-create-account = Créer un compte
login-error-password-missing = Saisissez votre mot de passe.
login-error-refused = L'adresse e-mail ou le mot de passe est incorrect.

## S'inscrire et confirmer l'adresse
register-title = Inscription
register-heading = Créez votre compte
register-password-hint = Au moins { $min } caractères. Quelques mots sans rapport entre eux font un mot de passe solide et facile à retenir.
register-have-account = Vous avez déjà un compte ?
check-email-title = Consultez vos e-mails
check-email-sent = Nous avons envoyé un message à l'adresse indiquée. Ouvrez le lien qu'il contient pour confirmer votre adresse, puis connectez-vous.
check-email-hint = Le lien est valable 24 heures. Rien reçu après quelques minutes ? Regardez dans vos indésirables, ou demandez un nouveau lien :
check-email-resend = Envoyer un nouveau lien
verify-title = Confirmer votre e-mail
verify-heading = Confirmez votre adresse e-mail
verify-press = Appuyez sur le bouton pour confirmer { $email } comme adresse de votre compte.
verify-confirm = Confirmer
verified-title = E-mail confirmé
verified-before-heading = Cette adresse est déjà confirmée
verified-before = { $email } a déjà été confirmée avec ce lien ; il n'y a plus rien à faire.
verified-heading = Votre adresse e-mail est confirmée
verified-now = { $email } est maintenant vérifiée.
verified-to-account = Aller à votre compte

## L'espace du compte
account-nav-overview = Aperçu
account-nav-profile = Profil
account-nav-settings = E-mail et mot de passe
account-nav-two-factor = Connexion en deux étapes
account-nav-passkeys = Clés d'accès
account-nav-sessions = Sessions
account-nav-tokens = Jetons d'API
account-nav-apps = Applications autorisées
account-nav-activity = Activité
account-nav-delete = Supprimer le compte
overview-heading = Votre compte
overview-verified = vérifiée
overview-not-verified = non vérifiée
overview-member-since = Membre depuis le
overview-previous-sign-in = Connexion précédente
overview-none-before = Aucune avant celle-ci
overview-failed = Connexions échouées
overview-failed-since = { $count } depuis votre dernière connexion
overview-see-when = voir quand
overview-signed-in-on = Connecté sur
overview-devices = { $count ->
    [one] 1 appareil
   *[other] { $count } appareils
}
overview-manage = gérer
overview-no-password-passkey = Votre compte n'a pas de mot de passe : vous vous connectez avec une clé d'accès.
overview-no-password-provider = Votre compte n'a pas de mot de passe : vous vous connectez avec un fournisseur ci-dessous.
overview-set-password = Pour en définir un, utilisez
overview-providers = Fournisseurs de connexion
overview-linked-as = associé à { $email }
overview-not-linked = non associé
overview-remove = Retirer
overview-link = Associer
language-heading = Langue
language-hint = Pour ces pages et les e-mails que nous vous envoyons.
language-browser = La langue de votre navigateur
language-save = Enregistrer la langue

## E-mails
mail-verify-subject = Confirmez votre adresse e-mail
mail-verify-body =
    Bonjour,

    Veuillez confirmer qu'il s'agit bien de votre adresse e-mail en ouvrant le lien ci-dessous puis en appuyant sur « Confirmer » :

    { $link }

    Le lien est valable 24 heures et ne peut servir qu'une fois.

    Si vous ne vous êtes pas inscrit, vous pouvez ignorer ce message : rien ne se passe
    tant que l'adresse n'est pas confirmée.

## Messages après une modification
notice-password-changed = Votre mot de passe a été modifié. Toutes les autres sessions ont été déconnectées.
notice-email-change-sent = Consultez la boîte de la nouvelle adresse : votre e-mail change dès que vous le confirmez là-bas.
notice-session-revoked = Cette session a été déconnectée.
notice-others-revoked = Toutes les autres sessions ont été déconnectées.
notice-token-revoked = Le jeton d'API a été révoqué.
notice-passkey-added = La clé d'accès a été ajoutée. Vous pouvez maintenant vous connecter avec, sans mot de passe.
notice-provider-linked = Le fournisseur est associé : se connecter avec lui connecte désormais à ce compte.
notice-provider-unlinked = Le fournisseur n'est plus associé à ce compte.
notice-app-revoked = L'application n'a plus accès. Elle devra vous redemander l'autorisation pour vous connecter.
notice-passkey-renamed = La clé d'accès a été renommée.
notice-passkey-deleted = La clé d'accès a été supprimée. Elle ne permet plus de se connecter.
notice-two-factor-off = La connexion en deux étapes est désactivée. La connexion ne demande plus que votre mot de passe.
notice-profile-saved = Votre profil a été enregistré. Les applications le verront à votre prochaine connexion chez elles.
admin-notice-verified = L'adresse est marquée comme confirmée.
admin-notice-disabled = Le compte est désactivé et déconnecté partout.
admin-notice-enabled = Le compte peut de nouveau se connecter.
admin-notice-signed-out = Le compte a été déconnecté partout.
admin-notice-two-factor-reset = La connexion en deux étapes est désactivée pour ce compte ; son titulaire a été prévenu par e-mail.
admin-notice-role-granted = Le rôle a été attribué.
admin-notice-role-revoked = Le rôle a été retiré.
admin-notice-unchanged = Rien à changer : c'était déjà le cas.
admin-notice-deleted = Le compte a été supprimé et son titulaire prévenu par e-mail.
notice-language-saved = Votre langue est enregistrée.

## La deuxième étape, l'adresse pas encore confirmée, un mot de passe oublié
second-step-title = Connexion en deux étapes
second-step-recovery-code = Code de récupération
second-step-recovery-hint = L'un des dix codes enregistrés quand vous avez activé la connexion en deux étapes. Chacun ne sert qu'une fois.
second-step-use-app = Utiliser plutôt le code de l'application
second-step-app-code = Code de votre application d'authentification
second-step-app-hint = Six chiffres. Téléphone perdu ?
second-step-use-recovery = Utiliser plutôt un code de récupération
second-step-continue = Continuer
second-step-use-passkey = Utiliser plutôt une clé d'accès
second-step-not-you = Ce n'est pas vous ?
second-step-start-again = Recommencer
second-step-locked-out = Bloqué sans code de récupération ? Demandez aux responsables de ce site de réinitialiser la connexion en deux étapes.
second-step-wrong-code = Ce code n'est pas le bon. Saisissez le code actuel de votre application, ou un code de récupération.
unverified-title = Confirmez d'abord votre e-mail
unverified-heading = Confirmez d'abord votre adresse e-mail
unverified-text = Votre mot de passe est bon, mais { $email } n'est pas encore confirmée. Ouvrez le lien que nous vous avons envoyé, ou demandez-en un nouveau :
unverified-resend = Envoyer un nouveau lien de confirmation
resend-sent = Si cette adresse appartient à un compte pas encore confirmé, un nouveau lien de confirmation est en route.
forgot-sent = Si un compte utilise cette adresse, un lien pour choisir un nouveau mot de passe est en route. Il est valable une heure.
forgot-back = Retour à la connexion
forgot-text = Saisissez l'adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-send = Envoyer le lien
reset-title = Choisir un nouveau mot de passe
field-new-password = Nouveau mot de passe
password-at-least = Au moins { $min } caractères.
field-revoke-api-tokens = Révoquer aussi tous les jetons d'API
reset-submit = Enregistrer le nouveau mot de passe
reset-done-title = Mot de passe modifié
reset-done-heading = Votre mot de passe est modifié
reset-done-text = Toutes les sessions de votre compte ont été déconnectées. Connectez-vous avec votre nouveau mot de passe.

## L'accueil, les confirmations, les erreurs
home-title = Bienvenue
home-welcome-back = Bon retour
home-signed-in-as = Vous êtes connecté en tant que { $email }.
home-heading = Des comptes dignes de confiance
home-text = Inscrivez-vous avec votre adresse e-mail et un mot de passe, confirmez l'adresse grâce au lien que nous vous envoyons, puis connectez-vous.
home-link = Accueil
notice-signed-out = Vous êtes déconnecté.
notice-account-deleted = Votre compte et tout ce qui s'y rapportait sont supprimés. Au revoir.
error-back-to-form = Retour au formulaire
cancel = Annuler
confirm-email-heading = Confirmez votre nouvelle adresse e-mail
confirm-email-done-heading = Votre adresse e-mail est modifiée
confirm-email-done = L'adresse de votre compte est désormais { $email }.
confirm-email-press = Appuyez sur le bouton pour faire de { $email } l'adresse de votre compte.
reconfirm-title = Confirmez que c'est bien vous
reconfirm-text = Vous vous êtes connecté il y a plus de dix minutes. Saisissez de nouveau votre mot de passe pour effectuer cette modification ; elle est faite dès que le mot de passe est bon.
reconfirm-password = Votre mot de passe
reconfirm-submit = Confirmer et continuer
token-error-ask = Demandez-en un nouveau :
token-error-from-account = Vous pouvez demander un nouveau lien depuis
token-error-account-page = la page de votre compte
error-enter-password = Saisissez votre mot de passe.
error-enter-current-password = Saisissez votre mot de passe actuel.
error-not-your-password = Ce n'est pas votre mot de passe.
error-not-your-current-password = Ce n'est pas votre mot de passe actuel.

## E-mail et mot de passe, sessions, supprimer le compte
error-already-your-address = C'est déjà votre adresse.
settings-password-heading = Changer votre mot de passe
field-current-password = Mot de passe actuel
settings-password-hint = Toutes les autres sessions sont déconnectées quand le mot de passe change.
settings-password-submit = Changer le mot de passe
settings-email-heading = Changer votre adresse e-mail
settings-email-hint = Actuellement { $email }. Nous envoyons un lien à la nouvelle adresse ; le changement a lieu quand vous le confirmez là-bas.
field-new-email = Nouvelle adresse e-mail
settings-email-submit = Envoyer le lien de confirmation
delete-heading = Supprimer votre compte
delete-text = Cela supprime votre compte et tout ce qui s'y rapporte (sessions, jetons d'API, activité), immédiatement et définitivement. Un dernier e-mail vous le confirme.
delete-submit = Supprimer mon compte
sessions-heading = Où vous êtes connecté
sessions-this-device = cet appareil
sessions-last-seen = vu pour la dernière fois le { $when }
sessions-signed-in = connecté le { $when }
sessions-sign-out = Déconnecter
sessions-sign-out-others = Déconnecter partout ailleurs
sessions-only-one = C'est votre seule session.

## La connexion en deux étapes dans l'espace du compte
two-factor-wrong-code = Ce code n'est pas le bon. Saisissez le code actuel de votre application.
two-factor-unverified = Confirmez d'abord votre adresse e-mail : la connexion en deux étapes demande une adresse dont nous savons qu'elle est à vous.
two-factor-already-on = La connexion en deux étapes est déjà activée. Désactivez-la d'abord pour la déplacer vers une autre application.
notice-two-factor-on = La connexion en deux étapes est activée. Toutes les autres sessions ont été déconnectées.
two-factor-setup-expired = Cette configuration a expiré ou a été remplacée. Recommencez ci-dessous.
two-factor-wrong-disable-code = Ce code n'est pas le bon (ou a déjà servi).
two-factor-codes-heading = Vos codes de récupération
two-factor-codes-text = Chaque code vous connecte une fois si vous perdez votre téléphone. Rangez-les en lieu sûr maintenant (imprimez-les, ou gardez-les dans un gestionnaire de mots de passe) : ils ne seront plus affichés.
keep-download = Télécharger
keep-copy = Copier
keep-print = Imprimer
two-factor-scan-heading = Scannez ceci avec votre application d'authentification
two-factor-scan-hint = Toute application qui affiche des codes à six chiffres convient : Google Authenticator, Aegis, 1Password, Bitwarden et d'autres. Rien ne change avant que vous saisissiez le premier code.
two-factor-type-key = Impossible de scanner ? Saisissez plutôt cette clé dans l'application :
two-factor-setup-link = Le lien de configuration, pour les applications qui l'acceptent
two-factor-code-now = Le code que l'application affiche maintenant
two-factor-turn-on = Activer la connexion en deux étapes
two-factor-on = Activée
two-factor-off = Désactivée
two-factor-on-text = La connexion demande votre mot de passe, puis un code de votre application d'authentification.
two-factor-codes-left = Il reste { $count } codes de récupération sur 10.
two-factor-off-text = La connexion ne demande que votre mot de passe. Avec la connexion en deux étapes, un mot de passe volé ne suffit pas : il faut aussi un code d'une application sur votre téléphone.
two-factor-set-up = Configurer une application d'authentification
two-factor-new-codes = Nouveaux codes de récupération
two-factor-new-codes-hint = Crée dix nouveaux codes ; les anciens cessent de fonctionner.
two-factor-make-codes = Créer de nouveaux codes de récupération
two-factor-turn-off = Désactiver la connexion en deux étapes
two-factor-disable-code = Code de votre application, ou un code de récupération

## Jetons d'API
tokens-never = jamais
tokens-new-heading = Votre nouveau jeton
tokens-copy-now = Copiez-le maintenant : il ne sera plus affiché.
tokens-hint = Pour les scripts et les programmes : envoyez un jeton dans l'en-tête
tokens-none = Vous n'avez aucun jeton d'API.
tokens-created = créé le { $when }
tokens-expires = expire : { $when }
tokens-last-used = dernière utilisation : { $when }
tokens-revoke = Révoquer
tokens-create-heading = Créer un jeton
tokens-name = Nom
tokens-scope = Portée
tokens-expiry = Expire après (jours, vide pour jamais)
tokens-create = Créer le jeton

## Le journal d'activité
event-logged-in = Connexion
event-login-failed = Tentative de connexion échouée
event-logged-out = Déconnexion
event-email-verified = Adresse e-mail confirmée
event-password-changed = Mot de passe modifié
event-password-reset = Mot de passe réinitialisé par lien e-mail
event-email-change-requested = Changement d'adresse e-mail demandé
event-email-changed = Adresse e-mail modifiée
event-session-revoked = Une session a été déconnectée
event-other-sessions-revoked = Toutes les autres sessions ont été déconnectées
event-two-factor-enabled = Connexion en deux étapes activée
event-two-factor-disabled = Connexion en deux étapes désactivée
event-two-factor-reset = Connexion en deux étapes réinitialisée par un administrateur
event-recovery-codes-renewed = Nouveaux codes de récupération créés
event-recovery-code-used = Connexion avec un code de récupération
event-second-step-failed = Code de connexion en deux étapes erroné
event-passkey-added = Clé d'accès ajoutée
event-passkey-removed = Clé d'accès supprimée
event-provider-linked = Fournisseur de connexion associé
event-provider-unlinked = Fournisseur de connexion dissocié
event-admin-verified = Adresse e-mail marquée confirmée par un administrateur
event-admin-disabled = Compte désactivé par un administrateur
event-admin-enabled = Compte réactivé par un administrateur
event-admin-sessions-revoked = Déconnecté partout par un administrateur
event-role-granted = Rôle attribué
event-role-revoked = Rôle retiré
event-user-deleted = Un compte supprimé
event-api-token-created = Jeton d'API créé
event-api-token-revoked = Jeton d'API révoqué
event-app-allowed = Une application a été autorisée à vous connecter
event-app-access-revoked = L'accès d'une application a été retiré
event-other = Activité du compte
how-password = mot de passe
how-password-and-code = mot de passe et code
how-password-and-recovery-code = mot de passe et code de récupération
how-passkey = clé d'accès
how-provider = fournisseur de connexion
event-with = { $what } avec { $how }
activity-heading = Activité récente
activity-nothing = Rien pour l'instant.

## Clés d'accès, applications, questions avant une modification
passkeys-hint = Une clé d'accès vous connecte avec votre empreinte, votre visage ou le verrouillage de l'écran au lieu de votre mot de passe, et ne peut pas être hameçonnée. Elle sert aussi de deuxième étape à la connexion en deux étapes.
passkeys-none = Vous n'avez aucune clé d'accès.
passkeys-added = ajoutée le { $when }
passkeys-never-used = jamais utilisée
passkeys-rename = Renommer
passkeys-new-name = Nouveau nom
passkeys-save = Enregistrer
passkeys-delete = Supprimer
passkeys-add = Ajouter une clé d'accès
passkeys-unavailable = Les clés d'accès ne sont pas disponibles sur ce site : il est joint par une adresse IP, et les clés d'accès demandent un nom de domaine. Ses responsables peuvent régler BASE_URL sur l'un d'eux.
passkeys-needs-recent = Ajouter une clé d'accès demande une connexion récente. Confirmez d'abord votre mot de passe.
passkeys-confirm-password = Confirmer votre mot de passe
passkeys-needs-javascript = Ajouter une clé d'accès demande JavaScript. Votre mot de passe et la connexion en deux étapes fonctionnent sans.
passkeys-name-hint = Pour distinguer vos clés d'accès : le nom de ce navigateur, ou de l'appareil ou de la clé de sécurité qui la porte. Vous pourrez la renommer plus tard.
apps-hint = Les applications que vous avez autorisées à vous connecter avec ce compte. En retirer une la déconnecte : elle devra vous redemander.
apps-none = Aucune application n'a accès à votre compte.
apps-allowed = autorisée le { $when }
apps-remove = Retirer l'accès
confirm-revoke-others-title = Déconnecter partout ailleurs ?
confirm-revoke-others-consequence = Tous les autres navigateurs et appareils connectés à votre compte sont déconnectés immédiatement, et les applications auxquelles vous vous êtes connecté avec lui devront vous reconnecter. Ce navigateur reste connecté.
confirm-passkey-delete-title = Supprimer la clé d'accès « { $name } » ?
confirm-passkey-delete-consequence = Vous ne pourrez plus vous connecter avec. L'appareil la garde jusqu'à ce que vous la retiriez là aussi.
confirm-passkey-delete-button = Supprimer la clé d'accès
confirm-disable-title = Désactiver { $email } ?
confirm-disable-consequence = Le compte est déconnecté partout immédiatement et ne peut plus se connecter ni utiliser ses jetons, jusqu'à ce qu'un administrateur le réactive. Rien n'est supprimé.
confirm-disable-button = Désactiver le compte
confirm-revoke-sessions-title = Déconnecter { $email } partout ?
confirm-revoke-sessions-consequence = Chaque session du compte prend fin immédiatement, avec les jetons de rafraîchissement de ses programmes et applications. Ils peuvent se reconnecter.
confirm-revoke-sessions-button = Déconnecter partout
confirm-delete-title = Supprimer { $email } ?
confirm-delete-consequence = Le compte est supprimé avec ses sessions, ses jetons et son activité, immédiatement et définitivement, et son titulaire est prévenu par e-mail. C'est irréversible.
confirm-delete-button = Supprimer le compte

## Le profil
profile-heading = Votre profil
profile-hint = Ce que voient, en plus de votre adresse e-mail, les applications qui vous connectent avec ce compte. Les deux sont facultatifs.
profile-name-hint = Comme vous aimeriez qu'on s'adresse à vous, par exemple « Ada Lovelace ».
profile-username = Nom d'utilisateur
profile-username-hint = 2 à 32 lettres, chiffres, points, tirets ou tirets bas ; deux comptes ne peuvent pas partager le même. Sans lui, les applications voient votre adresse e-mail.
profile-save = Enregistrer le profil
error-bad-name = Saisissez un nom de 100 caractères au plus, sur une ligne.
error-bad-username = Utilisez 2 à 32 lettres, chiffres, points, tirets ou tirets bas, en commençant par une lettre ou un chiffre.
error-username-taken = Ce nom d'utilisateur est pris. Choisissez-en un autre.

## Les e-mails sur le compte
mail-already-registered-subject = Quelqu'un a tenté de s'inscrire avec votre adresse e-mail
mail-already-registered-verify =
    Votre adresse n'est pas encore confirmée. Pour la confirmer, ouvrez ce lien et appuyez sur « Confirmer » :

    { $link }

mail-already-registered-body =
    Bonjour,

    Quelqu'un (peut-être vous) vient d'essayer de créer un compte avec cette adresse e-mail.
    Vous avez déjà un compte : aucun nouveau n'a été créé.

    { $verify }Si c'était vous, connectez-vous ici (vous pourrez y réinitialiser un mot de passe oublié) :

    { $link }

    Si ce n'était pas vous, vous pouvez ignorer ce message : votre compte n'a pas changé.
mail-reset-subject = Réinitialisez votre mot de passe
mail-reset-body =
    Bonjour,

    Quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe du compte associé
    à cette adresse e-mail. Pour choisir un nouveau mot de passe, ouvrez ce lien :

    { $link }

    Le lien est valable une heure et ne peut servir qu'une fois. Si vous n'avez rien demandé,
    vous pouvez ignorer ce message : votre mot de passe n'a pas changé.
mail-confirm-new-email-subject = Confirmez votre nouvelle adresse e-mail
mail-confirm-new-email-body =
    Bonjour,

    Veuillez confirmer qu'il s'agit bien de la nouvelle adresse e-mail de votre compte en
    ouvrant le lien ci-dessous puis en appuyant sur « Confirmer » :

    { $link }

    Le lien est valable 24 heures et ne peut servir qu'une fois. Tant qu'elle n'est pas
    confirmée, votre compte garde son ancienne adresse. Si vous n'avez rien demandé, vous
    pouvez ignorer ce message.
mail-notice-body =
    Bonjour,

    { $what }

    Si ce n'était pas vous, réinitialisez dès maintenant votre mot de passe avec le lien ci-dessous, et vérifiez les sessions et l'activité sur la page de votre compte.

    { $link }
mail-password-changed-subject = Votre mot de passe a été modifié
mail-password-changed = Le mot de passe de votre compte vient d'être modifié, et toutes les autres sessions ont été déconnectées.
mail-password-reset-subject = Votre mot de passe a été réinitialisé
mail-password-reset = Le mot de passe de votre compte vient d'être réinitialisé depuis un lien envoyé par e-mail, et toutes les sessions ont été déconnectées.
mail-email-change-requested-subject = Votre adresse e-mail va changer
mail-email-change-requested = Quelqu'un connecté à votre compte a demandé à changer son adresse e-mail pour { $new_email }. Rien ne change tant que cette adresse n'est pas confirmée par le lien que nous lui avons envoyé.
mail-email-already-in-use-subject = Quelqu'un a tenté d'utiliser votre adresse e-mail
mail-email-already-in-use = Quelqu'un a demandé à déplacer un autre compte vers cette adresse e-mail. Vous avez déjà un compte avec elle : rien n'a été modifié.
mail-account-deleted-subject = Votre compte a été supprimé
mail-account-deleted = Votre compte et tout ce qui s'y rapportait ont été supprimés. Nous sommes désolés de vous voir partir.
mail-failed-logins-subject = Plusieurs tentatives de connexion échouées sur votre compte
mail-failed-logins = Quelqu'un a essayé plusieurs mauvais mots de passe pour votre compte : les tentatives suivantes sont ralenties pour un moment. Vous pouvez toujours vous connecter depuis un navigateur déjà utilisé.
mail-two-factor-enabled-subject = La connexion en deux étapes est activée
mail-two-factor-enabled = La connexion en deux étapes vient d'être activée pour votre compte : la connexion demande désormais aussi un code de votre application d'authentification. Toutes les autres sessions ont été déconnectées.
mail-two-factor-disabled-subject = La connexion en deux étapes est désactivée
mail-two-factor-disabled = La connexion en deux étapes vient d'être désactivée pour votre compte : la connexion ne demande plus que votre mot de passe.
mail-two-factor-reset-subject = La connexion en deux étapes a été réinitialisée
mail-two-factor-reset = Les responsables de ce site ont désactivé la connexion en deux étapes de votre compte, à votre demande. Connectez-vous avec votre mot de passe et réactivez-la depuis la page de votre compte.
mail-recovery-code-used-subject = Un code de récupération a été utilisé
mail-recovery-code-used = Un code de récupération vient de servir à se connecter à votre compte. Il vous reste { $left } codes de récupération ; vous pouvez en imprimer une nouvelle série sur la page de votre compte.
mail-passkey-added-subject = Une clé d'accès a été ajoutée à votre compte
mail-passkey-added = Une clé d'accès nommée « { $name } » vient d'être ajoutée à votre compte : elle peut désormais s'y connecter sans votre mot de passe.
mail-passkey-removed-subject = Une clé d'accès a été supprimée de votre compte
mail-passkey-removed = Une clé d'accès vient d'être supprimée de votre compte : elle ne permet plus de se connecter.
mail-provider-linked-subject = Votre compte a été associé à { $provider }
mail-provider-linked = Votre compte a été associé à { $provider } : se connecter avec { $provider } connecte désormais à ce compte.
mail-provider-unlinked-subject = Votre compte a été dissocié de { $provider }
mail-provider-unlinked = Votre compte n'est plus associé à { $provider } : se connecter avec { $provider } ne connecte plus à ce compte.

## Les applications : refus de l'authentification déléguée, consentement et déconnexion OpenID Connect
denied-title = Accès refusé
denied-unknown-request = { $product } n'a pas pu savoir de quelle page il s'agit : le proxy qui a demandé n'est pas de confiance.
denied-by-rule = Cette page est fermée à tous.
denied-missing-role = Le compte avec lequel vous êtes connecté n'a pas accès à cette page. Demandez-le à un administrateur.
denied-read-only = Ce jeton ne peut que lire ; cette requête modifierait quelque chose.
denied-two-step-title = Connexion en deux étapes requise
denied-two-step = Cette page demande une connexion en deux étapes : votre mot de passe et un code de votre application d'authentification.
denied-set-up-two-step = Configurer la connexion en deux étapes
denied-already-set-up = Déjà configurée ?
denied-log-in-again = Reconnectez-vous avec votre code pour ouvrir cette page.
denied-another-account = Utiliser un autre compte
denied-log-out-there = où vous pouvez aussi vous déconnecter.
consent-title = Autoriser { $app } ?
consent-heading = Autoriser { $app } à utiliser votre compte { $product } ?
consent-asks = Vous êtes connecté en tant que { $email }. { $app } demande à :
consent-destination = Votre réponse vous ramène à { $host }.
consent-hint = Elle ne voit jamais votre mot de passe. Vous pouvez revenir sur ce choix à tout moment depuis la page de votre compte (Applications autorisées).
consent-allow = Autoriser
consent-deny = Refuser
scope-openid = Savoir qui vous êtes sur ce site (un numéro de compte)
scope-email = Voir votre adresse e-mail
scope-profile = Voir votre nom et votre nom d'utilisateur
scope-roles = Voir vos rôles
scope-groups = Voir vos groupes (vos rôles)
scope-offline-access = Rester connecté pendant votre absence
logout-confirm-title = Se déconnecter de { $product } ?
logout-confirm-text = { $app } demande à vous déconnecter, mais sa demande ne concerne pas cette connexion : vous êtes connecté ici en tant que { $email }.
logout-confirm-hint = Si vous ne venez pas de vous déconnecter de { $app }, un autre site essaie peut-être de vous déconnecter : restez connecté.
logout-confirm-stay = Rester connecté

## Les pages d'erreur : problem-<son type> et problem-<son type>-detail
problem-bad-request = Requête incorrecte
problem-bad-request-detail = La requête n'a pas pu être comprise.
problem-unauthenticated = Connexion requise
problem-unauthenticated-detail = Connectez-vous pour continuer.
problem-invalid-credentials = Identifiants invalides
problem-invalid-credentials-detail = Les identifiants envoyés sont faux, expirés ou révoqués.
problem-mfa-required = Deuxième étape requise
problem-mfa-required-detail = Ce compte utilise la connexion en deux étapes : le code de son application d'authentification est aussi nécessaire.
problem-forbidden = Requête refusée
problem-forbidden-detail = Cette requête venait d'un autre site, ou le formulaire avait expiré. Revenez en arrière, rechargez la page et réessayez.
problem-not-found = Page introuvable
problem-not-found-detail = Il n'y a rien à cette adresse.
problem-method-not-allowed = Méthode non autorisée
problem-method-not-allowed-detail = Cette adresse n'accepte pas cette méthode.
problem-timeout = Délai dépassé
problem-timeout-detail = La requête a pris trop de temps. Réessayez.
problem-conflict = Impossible
problem-conflict-detail = La modification entre en conflit avec l'état actuel.
problem-invalid-value = Valeur non valide
problem-invalid-value-detail = Une valeur n'est pas autorisée ici.
problem-payload-too-large = Requête trop volumineuse
problem-payload-too-large-detail = Le corps de la requête dépasse ce que ce serveur accepte.
problem-unsupported-media-type = Type de contenu non pris en charge
problem-unsupported-media-type-detail = Le corps n'est pas du type que cette adresse accepte.
problem-too-many-requests = Trop de tentatives
problem-too-many-requests-detail = Attendez un peu avant de réessayer.
problem-wait-seconds = { $count ->
    [one] Attendez 1 seconde avant de réessayer.
   *[other] Attendez { $count } secondes avant de réessayer.
}
problem-wait-minutes = { $count ->
    [one] Attendez 1 minute avant de réessayer.
   *[other] Attendez { $count } minutes avant de réessayer.
}
problem-server-error = Une erreur s'est produite
problem-server-error-detail = Le serveur n'a pas pu terminer cette requête. Réessayez dans un instant.
problem-unavailable = Temporairement indisponible
problem-unavailable-detail = Le service ne joint pas sa base de données pour le moment. Rien de ce que vous avez envoyé n'est perdu ; réessayez dans un instant.

## Les liens qui ne fonctionnent plus, et ce que disent les scripts des pages
link-new-reset-link = Envoyer un nouveau lien de réinitialisation
link-expired = Ce lien a expiré
link-valid-for = { $hours ->
    [one] Les liens comme celui-ci sont valables une heure.
   *[other] Les liens comme celui-ci sont valables { $hours } heures.
}
link-used = Ce lien a déjà été utilisé
link-works-once = Chaque lien ne fonctionne qu'une fois.
link-invalid = Ce lien n'est pas valide
link-invalid-why = Il a peut-être été tronqué lors de la copie, ou remplacé par un lien plus récent.
keep-copied = Copié
keep-copy-failed = Sélectionnez le texte pour le copier
passkey-cancelled = Aucune clé d'accès n'a été utilisée : la demande a été annulée ou a expiré.
passkey-failed = Une erreur s'est produite. Réessayez.

## L'espace d'administration
admin-area = Espace d'administration
admin-users = Utilisateurs
admin-security-log = Journal de sécurité
admin-never = jamais
admin-by-deleted-admin = administrateur n° { $id }, supprimé depuis
admin-by-operator = l'exploitant
admin-by-owner = le titulaire
admin-by = par { $who }
admin-no-such-account = Aucun compte n'a cette adresse.
admin-find = Chercher par une partie de l'adresse e-mail
admin-search = Chercher
admin-disabled = désactivé
admin-unconfirmed = non confirmé
admin-two-step = deux étapes
admin-joined = inscrit le { $when }
admin-last-login = dernière connexion : { $when }
admin-no-accounts = Aucun compte pour l'instant.
admin-no-match = Aucun compte ne correspond.
admin-pages = Pages
admin-previous = Précédent
admin-next = Suivant
admin-page = Page { $number }
admin-account-filter = Compte (adresse e-mail ou identifiant)
admin-what-happened = Ce qui s'est passé
admin-everything = Tout
admin-show = Afficher
admin-newer = Plus récents
admin-older = Plus anciens
admin-nothing-here = Rien ici.
admin-own-account = C'est votre propre compte : ici, vous ne pouvez ni le désactiver, ni le supprimer, ni retirer votre rôle d'administrateur. Modifiez-le depuis
admin-account = Compte
admin-confirmed = confirmée
admin-not-confirmed = non confirmée
admin-last-login-label = Dernière connexion
admin-failed-since = { $count } depuis la dernière connexion
admin-mark-confirmed = Marquer l'adresse comme confirmée
admin-enable = Réactiver le compte
admin-roles = Rôles
admin-no-roles = Aucun rôle : un compte ordinaire.
admin-grant-role = Attribuer un rôle
admin-role-hint = 1 à 32 caractères : a-z, 0-9, _ et -. Le rôle admin ouvre cet espace.
admin-grant = Attribuer
admin-no-sessions = Connecté nulle part.
admin-recent-events = Événements de sécurité récents
admin-whole-log = Tout le journal de ce compte
admin-delete-text = Cela supprime le compte avec ses sessions, ses jetons et son activité, immédiatement et définitivement, et prévient son titulaire par e-mail.
admin-delete-button = Supprimer { $email }
admin-on = activée
admin-off = désactivée
admin-failed-logins = Connexions échouées

## Les refus qu'un gestionnaire explique avec ses propres mots
error-missing-role = Votre compte n'a pas le rôle dont cette page a besoin.
error-not-a-role = Ce n'est pas un nom de rôle.
error-two-factor-off = La connexion en deux étapes est désactivée : il n'y a rien à changer.
error-two-factor-changed = La connexion en deux étapes a changé dans un autre onglet. Rechargez la page.
error-address-taken = Cette adresse appartient désormais à un autre compte : votre adresse n'a pas été modifiée.
error-passkey-refused = La clé d'accès n'a pas été acceptée. Réessayez, ou connectez-vous avec votre mot de passe.
error-passkey-confirm-first = Confirmez d'abord votre mot de passe sur la page des clés d'accès, puis ajoutez la clé.
error-passkey-registered = Cette clé d'accès est déjà enregistrée.
error-passkey-only-way-in = Cette clé d'accès est le seul moyen d'entrer dans votre compte. Définissez d'abord un mot de passe (« Mot de passe oublié ? »).
error-account-disabled = Ce compte a été désactivé. Contactez les responsables de ce site.
error-unverified-for-programs = Confirmez votre adresse e-mail avant d'utiliser l'API.
error-link-sign-in-first = Connectez-vous au compte à associer, puis réessayez.
error-provider-answer = La réponse du fournisseur n'a pas pu être vérifiée. Recommencez depuis la page de connexion.
error-form-unusable = Le formulaire n'a pas pu être utilisé.
error-no-such-language = Il n'y a pas de textes pour cette langue.
error-passkey-no-ceremony = Aucun enregistrement de clé d'accès n'est en cours ici, ou il a expiré. Recommencez.
error-passkey-answer = La réponse de l'authentificateur n'a pas été acceptée.
error-provider-no-email = Le fournisseur n'a confirmé aucune adresse e-mail pour vous : aucun compte ne peut être créé avec.
error-provider-sign-in-expired = Cette connexion a expiré ou a déjà servi. Recommencez depuis la page de connexion.
error-logout-link = Ce lien de déconnexion n'était pas accompagné d'un jeton d'identité valide. Déconnectez-vous plutôt depuis la page de votre compte.
error-authorize-unavailable = La connexion n'a pas pu démarrer. Réessayez dans un instant.
error-authorize-unknown-app = L'application qui vous a envoyé ici n'est pas connue de ce site.
error-authorize-unregistered-return = L'application qui vous a envoyé ici demande à revenir à une adresse qu'elle n'a pas enregistrée.
error-provider-email-taken = Un compte d'ici utilise déjà l'adresse e-mail donnée par le fournisseur. Connectez-vous-y avec votre mot de passe, puis associez le fournisseur depuis la page de votre compte.
error-token-expiry = Un jeton peut expirer après 1 à 3650 jours, ou jamais.
error-token-name = Donnez au jeton un nom de 1 à 100 caractères.
error-token-scope = La portée doit être « read » ou « read-write ».
admin-error-kind = Choisissez un type d'événement dans la liste.
admin-error-page = Un numéro de page est un nombre entier de 1 à 1000.
admin-error-account = Saisissez une adresse e-mail ou l'identifiant d'un compte.
admin-error-search-short = Tapez au moins trois caractères de l'adresse.
admin-error-search-long = C'est plus long que n'importe quelle adresse e-mail.
tokens-name-example = script de sauvegarde
device-on = { $browser } sur { $system }
device-unknown = Appareil inconnu
passkey-default-name = Clé d'accès
error-provider-refused = Le fournisseur ne vous a pas connecté. Recommencez depuis la page de connexion.

## What each problem type means, for /problems/<type>
problem-type-bad-request = La requête n'a pas pu être comprise : un champ manque ou est mal formé.
problem-type-unauthenticated = La requête demande une session connectée ou des identifiants.
problem-type-invalid-credentials = Les identifiants envoyés (mot de passe, jeton d'API, jeton d'accès ou de rafraîchissement) sont faux, expirés ou révoqués.
problem-type-mfa-required = Le mot de passe était bon, mais le compte utilise la connexion en deux étapes : envoyez avec le mot de passe le code de son application d'authentification (ou un code de récupération) dans « otp ».
problem-type-forbidden = Les identifiants sont valides mais ne permettent pas ceci, ou la requête venait d'un autre site.
problem-type-not-found = Il n'y a rien à cette adresse, ou rien qui vous appartienne.
problem-type-method-not-allowed = Cette adresse n'accepte pas cette méthode HTTP.
problem-type-timeout = La requête a mis trop de temps à arriver ou à recevoir une réponse.
problem-type-conflict = La modification entre en conflit avec l'état actuel, par exemple une adresse désormais prise.
problem-type-invalid-value = Un champ est bien formé mais sa valeur n'est pas autorisée, par exemple un nom de rôle avec d'autres caractères.
problem-type-payload-too-large = Le corps de la requête dépasse ce que ce serveur accepte.
problem-type-unsupported-media-type = Le corps n'est pas du type que cette adresse accepte.
problem-type-too-many-requests = Trop de requêtes en peu de temps ; Retry-After indique quand réessayer.
problem-type-server-error = Le serveur n'a pas pu terminer la requête ; la raison n'est pas montrée.
problem-type-unavailable = La base de données est injoignable pour le moment ; rien de ce qui a été envoyé n'est perdu.

## Qui peut s'inscrire
register-by-invitation = L'inscription se fait ici sur invitation. Si quelqu'un vous a invité, utilisez le lien de son e-mail ; si vous avez un compte, connectez-vous.
register-closed = Ce site ne prend pas d'inscriptions : ses responsables créent les comptes. Si vous en avez un, connectez-vous.
register-domain-not-allowed = L'inscription est ouverte aux adresses de { $domains } seulement.
error-signup-not-open = Ce site ne crée pas de compte lors d'une connexion par un autre fournisseur. Demandez une invitation, ou connectez-vous avec votre compte.

## Invitations
invitation-title = Accepter votre invitation
invitation-for = Vous êtes invité à créer un compte pour { $email }.
invitation-roles = Il vient avec ces rôles : { $roles }.
invitation-accept = Choisir le mot de passe et se connecter
invitation-with-passkey = Utiliser plutôt une clé d'accès
invitation-expired = Cette invitation a expiré. Demandez à la personne qui vous a invité de l'envoyer à nouveau.
invitation-accepted = Cette invitation a déjà été utilisée. Si le compte est le vôtre, connectez-vous.
invitation-revoked = Cette invitation a été retirée. Adressez-vous à la personne qui vous a invité si vous avez toujours besoin d'un compte.
invitation-unknown = Ce lien d'invitation n'est pas valide : il a peut-être été coupé lors de la copie, ou remplacé par un plus récent.
notice-welcome = Bienvenue ! Votre compte est prêt et vous êtes connecté.
notice-add-a-passkey = Votre compte est prêt. Ajoutez maintenant une clé d'accès : c'est ainsi que vous vous connecterez.
how-invitation = invitation
how-email-code = code par e-mail
admin-invitations = Invitations
admin-invitations-open = En attente d'acceptation
admin-invitations-none = Aucune invitation en attente.
admin-invite = Envoyer l'invitation
admin-invitation-roles = Rôles (facultatif)
admin-invitation-roles-hint = Noms de rôles séparés par des virgules, comme editor, admin.
admin-invitation-expired = expirée
admin-invitation-sent = envoyée { $when }
admin-invitation-until = valable jusqu'au { $when }
admin-invitation-resend = Renvoyer
admin-invitation-revoke = Retirer
admin-notice-invited = L'invitation est en route.
admin-notice-invited-has-account = Cette adresse a déjà un compte : son titulaire a reçu un avis à la place.
admin-notice-invitation-resent = L'invitation a été renvoyée avec un nouveau lien ; l'ancien ne fonctionne plus.
admin-notice-invitation-revoked = L'invitation a été retirée : son lien ne fonctionne plus.
mail-invitation-subject = Vous êtes invité à créer un compte
mail-invitation-body =
    Bonjour,

    Vous êtes invité à créer un compte. Pour accepter, ouvrez ce lien et choisissez un mot
    de passe ou une clé d'accès :

    { $link }

    Le lien est valable { $days } jours et ne sert qu'une fois. Si vous n'attendiez pas
    cette invitation, vous pouvez ignorer ce message.
mail-invited-with-an-account =
    Bonjour,

    Vous avez été invité à créer un compte avec cette adresse e-mail, mais vous en avez déjà
    un. Connectez-vous ici :

    { $link }

    Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié ? » sur cette page.

## Un nouveau navigateur s'est connecté
mail-new-device-subject = Une nouvelle connexion à votre compte
mail-new-device-body =
    Bonjour,

    Votre compte vient d'être utilisé depuis un navigateur qui ne s'y était jamais
    connecté :

    Quand : { $when }
    Navigateur : { $device }
    Adresse réseau : { $ip }

    Si c'était vous, il n'y a rien à faire. Sinon, ouvrez ce lien : il met fin à cette
    session tout de suite et vous permet de choisir un nouveau mot de passe.

    { $link }

    Le lien est valable 7 jours. Vous pouvez désactiver ces messages dans « Sessions » de
    votre compte.
alert-title = Ce n'était pas vous ?
alert-explain = Un navigateur nouveau pour le compte { $email } s'est connecté. Si ce n'était pas vous, mettez fin à cette session maintenant et choisissez un nouveau mot de passe : toutes les autres sessions se terminent avec.
alert-end-session = Fermer cette session et choisir un nouveau mot de passe
alert-if-you = Si c'était vous, fermez cette page : rien ne change.
alerts-heading = Alertes de connexion
alerts-new-device = M'envoyer un e-mail quand un navigateur qui ne s'est jamais connecté se connecte à mon compte
alerts-save = Enregistrer
notice-alerts-saved = Votre réglage des alertes de connexion est enregistré.

## Se connecter avec un code par e-mail
login-email-code = Recevoir plutôt un code par e-mail
code-title = Se connecter avec un code
code-ask-hint = Nous vous envoyons par e-mail un code à saisir ici. Il sert une fois, dans ce navigateur, pendant 10 minutes.
code-send = M'envoyer un code
code-sent = Si { $email } a un compte ici, un code est en route vers cette adresse. Saisissez-le ci-dessous.
code-field = Code reçu par e-mail
code-ask-again = Envoyer un nouveau code
code-use-password = Utiliser plutôt mon mot de passe
code-error-email = Saisissez une adresse e-mail comme nom@example.com.
code-error-refused = Ce code n'est pas bon, ou n'est plus valable. Vérifiez le dernier e-mail, ou demandez un nouveau code.
mail-login-code-subject = Votre code de connexion
mail-login-code-body =
    Bonjour,

    Votre code pour vous connecter est :

    { $code }

    Saisissez-le dans le navigateur où vous l'avez demandé. Il sert une fois, pendant
    { $minutes } minutes. Si vous ne l'avez pas demandé, vous pouvez ignorer ce message :
    personne ne peut utiliser le code sans ce navigateur.

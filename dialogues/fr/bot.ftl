### SpotCheck chat texts in French (Telegram and the terminal chat).
### Machine-assisted translation of en/bot.ftl: awaiting review by a native-speaking clinician
### (see ../REVIEW.md). Same ids and variables as English.
###
### None of these may start with a triage sign: only the advice-* messages do.
### Plain text: no HTML, no Markdown. The commands (/check, /cancel ...) and the terminal keys
### b and q stay as they are: the program does not translate them.
### Typography: a no-break space (U+00A0) before ":", "?", "!", ";" and inside « », as in
### cards.ftl.


## Telegram messages

bot-welcome =
    Bonjour, je suis SpotCheck.

    Je vous aide à examiner de petites taches rouges ou violettes sur la peau, comme les pétéchies (minuscules points rouges ou violets). Je vous guide pour le test du verre et les signes d'alerte, un bouton à la fois.

    Je ne suis pas médecin et je ne peux pas poser de diagnostic. En cas d'urgence, n'attendez pas. Appelez tout de suite : { $emergency_numbers }.

    Appuyez sur le bouton ci-dessous pour commencer.

bot-help =
    Comment marche SpotCheck : je pose des questions courtes et vous appuyez sur une réponse. À la fin, je vous dis quoi faire et dans quel délai.

    Commandes :
    /check - commencer une nouvelle vérification
    /cancel - arrêter la vérification
    /restart - recommencer depuis la première question
    /privacy - ce que SpotCheck garde en mémoire
    /forget - effacer tout ce qui est gardé sur cette discussion
    /help - afficher ce message

    Boutons :
    ⬅ Changer ma dernière réponse - revenir à la question d'avant
    Annuler - arrêter la vérification

    En cas de doute, n'attendez pas SpotCheck. Appelez votre médecin, une ligne de conseil médical ou le numéro d'urgence de votre pays.

bot-privacy =
    Ce que SpotCheck garde sur cette discussion, et combien de temps :

    • Les réponses de votre vérification. Elles vous permettent de continuer si le bot redémarre, et de partager le résumé après le conseil. Elles sont effacées au plus tard { $ttl_hours ->
        [one] { $ttl_hours } heure
       *[other] { $ttl_hours } heures
    } après votre dernière réponse.
    • Un rappel que vous avez demandé garde les réponses dont il a besoin jusqu'à son envoi. S'il ne peut pas être envoyé, il est effacé { $ttl_hours ->
        [one] { $ttl_hours } heure
       *[other] { $ttl_hours } heures
    } après son heure. /reminders les affiche et les annule.
    • La langue et le pays que vous avez choisis, jusqu'à ce que vous envoyiez /forget.
    • Rien d'autre : ni votre nom, ni votre numéro. Rien n'est partagé avec personne, et rien ne sert à autre chose.

    /forget efface tout cela maintenant.

    Les messages de cette discussion sont gardés par Telegram, pas par SpotCheck, jusqu'à ce que vous les supprimiez. Pour en supprimer un, appuyez longuement dessus (ou clic droit) et choisissez Supprimer. Pour tous les supprimer, supprimez cette discussion de votre liste de discussions.

bot-forgotten = C'est fait. Tout ce que SpotCheck gardait sur cette discussion a été effacé.
bot-forget-failed = Désolé, je n'ai pas pu effacer vos données, donc rien n'a été effacé. Renvoyez /forget dans une minute.

bot-cancelled = La vérification est arrêtée. Tapez /check pour recommencer.

bot-progress = Question { $current } sur environ { $total }

bot-answered =
    { $question }

    ✓ { $answer }

bot-nudge =
    Désolé, je n'ai pas compris. Appuyez sur un des boutons, s'il vous plaît.

    Vous pouvez aussi écrire oui, non ou je ne sais pas, ou un âge comme « 2 ans » ou « 8 mois », quand cela convient.

bot-no-check = Aucune vérification n'est en cours. Tapez /check pour en commencer une.

bot-stale-button = Ce bouton vient d'une question d'avant ou d'une vérification finie : rien n'a été changé.

bot-state-reset = Désolé, SpotCheck a été mis à jour et n'a pas pu reprendre votre vérification. Recommençons.

bot-storage-unavailable = Désolé, je n'ai pas pu enregistrer ni lire votre vérification. Rien n'est perdu. Réessayez dans une minute. Si vous êtes inquiet, n'attendez pas : demandez de l'aide maintenant.
bot-advice-unsaved = Je n'ai pas pu enregistrer cette vérification, donc les boutons sous le conseil ont disparu. Le conseil ci-dessus reste valable : suivez-le.
bot-reminders-unavailable = Désolé, je n'ai pas pu accéder à vos rappels. Réessayez dans une minute, et tapez /reminders pour voir ceux qui sont prévus.
bot-choice-unsaved = Désolé, je n'ai pas pu enregistrer ce choix. Réessayez dans une minute.
bot-button-failed = Désolé, cela n'a pas marché pour l'instant. Réessayez dans une minute.

bot-emergency-typed = Ce que vous avez écrit ressemble à une urgence. Voici tout de suite les conseils d'urgence.

bot-summary =
    Résumé SpotCheck pour un médecin ou une infirmière

    Voici les réponses données dans SpotCheck. Ceci n'est pas un diagnostic.

    { $answers }

    { $outcome }

bot-summary-outcome-emergency = Conseil de SpotCheck : soins d'urgence maintenant
bot-summary-outcome-urgent = Conseil de SpotCheck : avis médical aujourd'hui
bot-summary-outcome-routine = Conseil de SpotCheck : rendez-vous normal dans les prochains jours
bot-summary-outcome-self_care = Conseil de SpotCheck : soins à la maison, en surveillant les signes d'alerte

bot-glass-caption =
    Comment lire l'image : pressez fort le côté d'un verre transparent contre les taches et regardez à travers.

    À gauche (bleu) : les taches s'effacent sous le verre. Si la personne semble très malade, demandez de l'aide quand même.

    À droite (rouge) : on voit encore les taches à travers le verre. Cela peut être grave. Avec de la fièvre, ou chez un enfant, appelez les urgences tout de suite.

    En haut : peau claire. En bas : peau foncée. Sur une peau foncée, les taches peuvent être dures à voir. Regardez les zones plus claires : les paumes des mains, les plantes des pieds, l'intérieur des paupières, le palais et le ventre.

    Au début, les taches peuvent s'effacer. Continuez à presser et regardez bien.

bot-group-only-private = Pour garder vos réponses privées, SpotCheck fait les vérifications seulement en discussion privée. Appuyez sur le bouton ci-dessous pour en commencer une.


## Buttons

btn-start-check = Commencer la vérification
btn-back = ⬅ Changer ma dernière réponse
btn-cancel = Annuler
btn-start-again = Recommencer
btn-share-summary = Résumé pour un médecin
btn-glass-picture = Voir comment faire (image)
btn-check-privately = Vérifier en discussion privée


## Command descriptions (the Telegram command menu)

cmd-check = Commencer une nouvelle vérification des taches
cmd-help = Comment marche SpotCheck
cmd-privacy = Ce que SpotCheck garde en mémoire sur vous
cmd-forget = Effacer tout ce qui est gardé sur cette discussion


## Terminal chat

chat-intro =
    SpotCheck vous aide à décider quoi faire face à de petites taches rouges ou violettes sur la peau. Ce n'est pas un médecin, et ce n'est pas un diagnostic. En cas d'urgence, appelez tout de suite le numéro d'urgence de votre pays.

    Tapez le numéro d'une réponse et appuyez sur Entrée. Tapez b pour revenir en arrière, ou q pour quitter.

chat-prompt = Votre réponse (numéro, b = retour, q = quitter) :

chat-checklist-hint = Tapez les numéros de tout ce qui s'applique (par exemple : 1 3), ou 0 si rien de tout ça.

chat-bye = Au revoir. Si quelque chose vous inquiète, à tout moment, demandez de l'aide.

# The emergency numbers shown until the person sets their country: the same numbers as English,
# with the labels translated.
emergency-numbers = 112 (Europe et de nombreux pays), 999 (Royaume-Uni), 911 (États-Unis et Canada) ou 000 (Australie)

# Choisir la langue et le pays (/language, /country).
language-name = Français
bot-language-menu = Dans quelle langue SpotCheck doit-il parler dans cette conversation ?
bot-language-set = SpotCheck parlera désormais français dans cette conversation.
bot-country-menu =
    Où êtes-vous ? SpotCheck indiquera alors le bon numéro d'urgence dans ses conseils.

    Tant que vous n'avez pas choisi, il affiche les numéros les plus courants.
bot-country-set = C'est fait. En cas d'urgence, SpotCheck vous dira d'appeler, pour { $country } : { $number }.
bot-country-cleared = C'est fait. En cas d'urgence, SpotCheck vous donnera les numéros les plus courants : { $numbers }.
bot-country-other = Autre : numéros courants
bot-admins-only = Seuls les administrateurs du groupe peuvent changer cela.
bot-flood = Vous envoyez des messages plus vite que je ne peux répondre. Je continue dans quelques secondes.

# Listes et durées, écrites à la française (j pour jour, espace avant les deux-points).
list-item = • { $item }
# Une suite d’éléments (« NICE, NHS ») : la liste jusque-là, puis un élément de plus.
list-more = { $list }, { $item }
bot-summary-answer = • { $question } : { $answer }
unit-seconds = { $amount } s
unit-minutes = { $amount } min
unit-hours = { $amount } h
unit-days = { $amount } j
duration-pair = { $larger } { $smaller }

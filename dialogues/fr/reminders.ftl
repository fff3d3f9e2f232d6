### Rappels pour refaire le test du verre : proposés sous un conseil qui n'est pas une urgence vitale.
### $delay, $late et $remaining sont des durées comme « 4 h » ou « 90 s » ; $count et $number sont des nombres.

bot-reminder-offer = ⏰ Des taches qui s'effacent maintenant peuvent ne plus s'effacer plus tard. Touchez un délai ci-dessous et je vous rappellerai de refaire le test du verre.

btn-remind = ⏰ { $delay }
btn-no-reminder = Non merci

bot-reminder-set =
    ⏰ C'est noté. Dans { $delay }, je vous rappellerai de refaire le test du verre. Tapez /reminders pour le voir ou l'annuler.

    Si vous êtes inquiet, n'attendez pas le rappel. Demandez de l'aide tout de suite si les taches ne s'effacent plus ou si la personne va plus mal.

bot-reminder-limit = Vous avez déjà { $count } rappels en attente. C'est le maximum que je garde. Tapez /reminders pour les voir ou les annuler.

bot-reminder-due =
    ⏰ C'est l'heure de regarder les taches à nouveau.

    1. Appuyez fort le côté d'un verre transparent sur les taches.
    2. Regardez les taches à travers le verre. Sur une peau foncée, regardez aussi les endroits plus clairs : les paumes, la plante des pieds, l'intérieur des paupières.

    Que voyez-vous maintenant ?

bot-reminder-late = Désolé, ce rappel arrive avec { $late } de retard : SpotCheck était arrêté au moment prévu.

btn-recheck-fades = Elles s'effacent encore
btn-recheck-stays = Elles ne s'effacent plus
btn-recheck-worse = Va plus mal, ou nouveaux signes

bot-recheck-worse = Reprenons les questions, en commençant par les signes d'alerte.

bot-reminders-none = Vous n'avez aucun rappel en attente.

bot-reminders-list =
    ⏰ Vos rappels pour regarder les taches à nouveau :

    { $reminders }

bot-reminders-item = { $number }. dans { $remaining }
btn-cancel-reminder = Annuler le rappel { $number }

cmd-reminders = Voir ou annuler vos rappels

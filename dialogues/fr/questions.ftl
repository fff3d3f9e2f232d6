### SpotCheck questions in French (standard French, "vous" to the reader).
### Machine-assisted translation of en/questions.ftl: awaiting review by a native-speaking
### clinician (see ../REVIEW.md). Same ids and variables as English.
###
### q-<question id>: the question, sent as one Telegram message with answer buttons.
### short-<question id>: a 1-4 word label for the summary a parent can send to a doctor.
### opt-...: answer button labels (30 characters at most).
### fact-<fact key>: a few words naming a fact, used in "Vous aviez un doute sur : ...".
###
### The person with the spots is "la personne" (explained in q-red_flags), the reader "vous".
### Terms: "taches" (the spots), "test du verre", "s'effacent sous le verre" (blanch) /
### "ne s'effacent pas" (do not blanch), "convulsion (crise)" (fit).
### Typography: a no-break space (U+00A0) before ":", "?", "!", ";" and inside « », as in
### cards.ftl, so Telegram never wraps a line before them.

## Questions

q-red_flags =
    Commençons par les signes d'alerte. Ici, « la personne » est celle qui a les taches : votre enfant, quelqu'un d'autre ou vous-même.

    Est-ce qu'une de ces choses arrive maintenant ? Touchez chacune de celles qui arrivent, puis touchez Terminé.

    • Forte envie de dormir, réveil difficile, ou confusion
    • Une convulsion (crise)
    • Respiration très rapide ou difficile, ou cœur qui bat très vite
    • Mains et pieds froids, ou peau marbrée, pâle, bleutée ou grise. Sur une peau foncée, regardez les lèvres, la langue, les paumes et les plantes des pieds.
    • La personne semble très malade, ou vous sentez que quelque chose ne va vraiment pas. Faites confiance à ce que vous sentez : vous savez mieux que quiconque comment elle est d'habitude.
    • La nuque raide ou douloureuse : elle a mal quand elle penche la tête en avant pour toucher la poitrine avec le menton.
    • Mal à la tête. Si elle est trop jeune pour le dire, répondez d'après ce que vous voyez.
    • La lumière vive la gêne ou lui fait mal aux yeux : elle se détourne de la lumière ou garde les yeux fermés.

    Si l'une des quatre premières arrive, touchez-la : le conseil vient tout de suite.

q-age = Quel âge a la personne ?

q-baby_cry =
    Les pleurs du bébé sont-ils faibles, très aigus ou sans arrêt ?

    Appuyez sur « Oui » s'ils sont très différents de ses pleurs habituels.

q-fever =
    La personne a-t-elle eu de la fièvre dans les dernières 24 heures ?

    C'est-à-dire une température de 38 °C (100,4 °F) ou plus, ou une sensation de chaud avec des frissons. Comptez-la même si un médicament l'a fait baisser.

q-glass_test =
    Faites maintenant le test du verre. Cela prend quelques secondes.

    1. Pressez fort le côté d'un verre transparent contre les taches.
    2. Regardez les taches à travers le verre.
    3. Au début, les taches peuvent s'effacer. Continuez à presser et regardez bien.

    Sur une peau foncée, les taches peuvent être dures à voir. Regardez aussi les zones plus claires : les paumes des mains, les plantes des pieds, l'intérieur des paupières, le palais (le haut de la bouche) et le ventre.

    Les taches s'effacent-elles sous le verre, ou les voyez-vous encore ?

    Si vous ne pouvez pas faire le test maintenant, appuyez sur « Impossible pour l'instant ».

q-spots =
    À propos des taches : l'une de ces choses s'applique-t-elle ? Touchez chacune de celles qui s'appliquent, puis touchez Terminé.

    • Elles s'étendent, ou de nouvelles taches apparaissent vite.
    • Elles sont seulement sur le visage, le cou et le haut de la poitrine, au-dessus des mamelons (aucune plus bas, sur le ventre ou les jambes).
    • Juste avant qu'elles apparaissent, la personne a toussé, vomi, forcé ou pleuré très fort.
    • Elles sont seulement là où quelque chose a appuyé, frotté ou cogné la peau : sous une sangle ou un élastique serré, un brassard de tension, ou autour d'une écorchure.

q-spot_size =
    Quelle taille font les taches ?

    Minuscules points : tout petits points, comme des piqûres d'épingle, de moins de 2 mm.
    Plus grandes : des plaques plus larges qui ressemblent à des bleus.

    S'il y a les deux, choisissez les plus grandes.

q-serious_bleeding =
    Est-ce qu'une de ces choses arrive ?

    • Un saignement qui ne s'arrête pas
    • Toux avec du sang, ou vomissements de sang
    • Du sang dans les urines
    • Des selles noires, ou du sang dans les selles

q-immune =
    Ses défenses immunitaires sont-elles affaiblies par une maladie ou un médicament ?

    Par exemple chimiothérapie (traitement du cancer), corticoïdes à forte dose, ou médicaments après une greffe d'organe.

q-more =
    L'une de ces choses s'applique-t-elle ? Touchez chacune de celles qui s'appliquent, puis touchez Terminé.

    • Des saignements ou des bleus inhabituels : saignements de nez, gencives qui saignent, toux ou vomissements avec du sang, sang dans les urines ou les selles, ou bleus qui viennent très facilement.
    • Un médicament qui fluidifie le sang, comme la warfarine, l'apixaban, le rivaroxaban, le clopidogrel ou l'aspirine tous les jours.
    • Une maladie de longue durée, comme le diabète, une maladie du foie, le lupus, un cancer, ou des défenses immunitaires faibles.
    • La personne vomit encore et encore.
    • Mal à la gorge, avec une éruption rugueuse comme du papier de verre, ou une langue rouge à petites bosses, comme une framboise.
    • Une piqûre de tique ou un voyage à l'étranger ces dernières semaines. Une tique est une toute petite bête qui pique. Elle vit dans les hautes herbes et les bois.
    • L'éruption est apparue après de la chaleur ou de la transpiration, ou après un nouveau savon, une nouvelle crème ou une nouvelle lessive.
    • La personne est enceinte, ou a accouché dans les 6 dernières semaines.

q-days = Depuis combien de temps les taches sont-elles là ?

## Short labels for the summary

short-red_flags = Signes d'alerte
short-age = Âge
short-baby_cry = Pleurs faibles ou aigus
short-fever = Fièvre
short-glass_test = Test du verre
short-spots = À propos des taches
short-spot_size = Taille des taches
short-serious_bleeding = Saignement grave
short-immune = Défenses immunitaires faibles
short-more = Autres signes
short-days = Taches depuis

## Answer buttons

opt-yes = Oui
opt-no = Non
opt-unsure = Je ne sais pas
tick-drowsy_or_confused = Somnolence ou confusion
tick-seizure = Une convulsion (crise)
tick-fast_breathing_or_heart = Souffle ou cœur très rapide
tick-cold_hands_feet_or_mottled = Mains froides, peau marbrée
tick-unusual_bleeding = Saignements ou bleus inhabituels
tick-takes_blood_thinner = Prend un anticoagulant
tick-chronic_condition = Maladie de longue durée
tick-vomiting = Vomit encore et encore
tick-scarlet_fever_signs = Peau rugueuse ou langue framboise
tick-tick_bite_or_travel = Tique ou voyage à l'étranger
tick-heat_or_new_skin_product = Après chaleur ou nouveau produit
tick-pregnant = Enceinte ou accouchement récent
opt-checklist-done = Terminé
opt-checklist-none = Rien de tout ça
opt-checklist-unsure = Pas sûr pour certaines
btn-item-ticked = ✅ { $item }
btn-item-unticked = ▫️ { $item }
tick-spreading = Elles s'étendent
tick-rash_only_above_nipple_line = Seulement au-dessus des mamelons
tick-recent_strain = Après une toux ou un effort
tick-recent_injury_or_friction_at_site = Seulement là où ça a appuyé
tick-feels_very_unwell = Très malade
tick-stiff_neck = Nuque raide ou douloureuse
tick-headache = Mal de tête
tick-light_sensitivity = Gêne à la lumière

opt-age_years-under_3m = Moins de 3 mois
opt-age_years-3_to_11m = 3 à 11 mois
opt-age_years-1_to_4y = 1 à 4 ans
opt-age_years-5_to_15y = 5 à 15 ans
opt-age_years-16_to_64y = 16 à 64 ans
opt-age_years-65_plus = 65 ans ou plus

opt-days_present-under_1d = Moins d'un jour
opt-days_present-1_to_3d = 1 à 3 jours
opt-days_present-over_3d = Plus de 3 jours

opt-blanching-fades = Elles s'effacent sous le verre
opt-blanching-stays = Je les vois encore
opt-blanching-unsure = Je ne sais pas
opt-blanching-not_done = Impossible pour l'instant

opt-spot_size-pinpoint = Minuscules points
opt-spot_size-larger_bruise_like = Plus grandes, comme des bleus

## Facts, for "Vous aviez un doute sur : ..." (and listed as findings in the summary)

fact-age_years = l'âge
fact-days_present = depuis quand les taches sont là
fact-blanching = le test du verre
fact-spot_size = la taille des taches
fact-spreading = si les taches s'étendent
fact-itchy = les démangeaisons
fact-fever = la fièvre
fact-scarlet_fever_signs = des signes de scarlatine
fact-feels_very_unwell = le fait de se sentir très mal
fact-headache = le mal de tête
fact-stiff_neck = la nuque raide
fact-light_sensitivity = la gêne des yeux à la lumière vive
fact-drowsy_or_confused = l'envie de dormir ou la confusion
fact-fast_breathing_or_heart = une respiration rapide ou un cœur qui bat vite
fact-cold_hands_feet_or_mottled = des mains et pieds froids ou la couleur de la peau
fact-vomiting = les vomissements
fact-seizure = une convulsion (crise)
fact-unusual_bleeding = des saignements ou des bleus inhabituels
fact-recent_strain = une forte toux, des vomissements ou un effort
fact-rash_only_above_nipple_line = l'endroit où sont les taches
fact-recent_injury_or_friction_at_site = une pression ou un frottement sur la peau
fact-heat_or_new_skin_product = la chaleur ou un nouveau produit pour la peau
fact-takes_blood_thinner = un médicament qui fluidifie le sang
fact-recent_infection = une infection récente
fact-chronic_condition = une maladie de longue durée
fact-pregnant = la grossesse
fact-tick_bite_or_travel = une piqûre de tique ou un voyage
fact-weak_high_pitched_cry = les pleurs du bébé
fact-serious_bleeding_sign = un saignement grave
fact-immunocompromised = des défenses immunitaires faibles

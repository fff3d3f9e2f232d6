### SpotCheck advice in French (standard French, "vous" to the reader).
### Machine-assisted translation of en/advice.ftl: awaiting review by a native-speaking
### clinician (see ../REVIEW.md). Same ids and variables as English.
###
### reason-<rule id>: one short sentence naming what was found and why it matters. These are shown
### as "• ..." lines under "Pourquoi :" and returned as `reasons` by `spotcheck assess --lang fr`.
### "(ou non vérifiées)" stands for the glass test answers "not sure" and "not done".
###
### advice-<level>: the final advice. Its first character is the level's sign and no other message
### starts with one. Variables: $reasons (bullet lines), $assumed (a sentence or empty),
### $sources (comma-separated names), $emergency_numbers. Plain text: no HTML, no Markdown.
### The levels are kept apart in words: 🔴 ambulance / urgences de l'hôpital, 🟠 avis médical
### aujourd'hui, 🟡 rendez-vous normal dans les prochains jours, 🟢 soins à la maison.
### "Urgence(s)" is used only for the 🔴 level. "Sepsis" as in cards.ftl, glossed "(septicémie)"
### where the reader is told what to say (see ../REVIEW.md).
### Typography: a no-break space (U+00A0) before ":", "?", "!", ";" and inside « », as in
### cards.ftl.


## Reasons: emergency

reason-stays_with_fever = Des taches qui ne s'effacent pas sous le verre (ou non vérifiées), avec de la fièvre, peuvent signaler une méningite ou un sepsis.
reason-stays_and_spreading = Des taches qui ne s'effacent pas sous le verre (ou non vérifiées) et qui s'étendent peuvent signaler une méningite ou un sepsis.
reason-purpura = De grandes taches comme des bleus, qui ne s'effacent pas sous le verre (ou non vérifiées), peuvent signaler une méningite ou un sepsis, même sans fièvre.
reason-child_spots_stay = Chez un enfant, des taches qui ne s'effacent pas sous le verre (ou non vérifiées) peuvent signaler une maladie grave, même s'il semble aller bien.
reason-baby_spots_stay = Chez un bébé de moins de 3 mois, des taches qui ne s'effacent pas sous le verre (ou non vérifiées) peuvent signaler une maladie grave.
reason-baby_fever = Une fièvre de 38 °C (100,4 °F) ou plus chez un bébé de moins de 3 mois peut signaler une infection grave.
reason-drowsy_or_confused = Une forte envie de dormir, un réveil difficile ou une confusion peuvent signaler une méningite ou un sepsis.
reason-seizure = Une convulsion demande toujours une aide d'urgence. Elle peut aussi signaler une infection grave.
reason-fast_breathing = Une respiration très rapide ou difficile, ou un cœur qui bat très vite, peut signaler un sepsis.
reason-mottled_or_cold = Des mains et pieds froids, ou une peau marbrée, pâle, bleutée ou grise, peuvent signaler un sepsis.
reason-weak_cry = Chez un bébé, des pleurs faibles, très aigus ou sans arrêt peuvent signaler une maladie grave.
reason-fever_stiff_neck = De la fièvre avec une nuque raide peut signaler une méningite.
reason-fever_headache_light = De la fièvre avec un mal de tête et des yeux gênés par la lumière vive peut signaler une méningite.
reason-stiff_neck_meningitis_signs = Une nuque raide avec un mal de tête, des vomissements ou les yeux gênés par la lumière peut signaler une méningite ou un saignement autour du cerveau, même sans fièvre.
reason-young_child_stiff_neck = Une nuque raide chez un enfant de moins de 5 ans peut signaler une méningite.
reason-stays_with_meningitis_signs = Des taches qui ne s'effacent pas sous le verre (ou non vérifiées), avec mal de tête, nuque raide ou yeux gênés par la lumière, peuvent signaler une méningite.
reason-child_very_unwell = Un enfant qui semble très malade a besoin d'aide tout de suite, même si les taches s'effacent : au début d'une méningite, elles peuvent s'effacer.
reason-stays_and_very_unwell = Des taches qui ne s'effacent pas sous le verre (ou non vérifiées), chez une personne très malade, peuvent signaler un sepsis ou une méningite.
reason-fever_weak_immunity = Avec des défenses immunitaires faibles, une fièvre peut vite devenir une infection très grave.
reason-serious_bleeding = Un saignement qui ne s'arrête pas, ou du sang dans les vomissements, la toux, les urines ou les selles, peut signaler un saignement grave dans le corps.
reason-blood_thinner_headache = Un mal de tête sous médicament qui fluidifie le sang peut signaler un saignement dans la tête.


## Reasons: urgent

reason-adult_spots_stay = Chez un adulte, des taches qui ne s'effacent pas sous le verre (ou non vérifiées) peuvent signaler un problème du sang. Un médecin doit les voir aujourd'hui.
reason-child_spots_stay_explained = Chez un enfant, des taches qui ne s'effacent pas sous le verre doivent être vues par un médecin aujourd'hui, même si la cause semble claire.
reason-unusual_bleeding = Des saignements de nez, des gencives qui saignent ou des bleus qui viennent vite, avec les taches, peuvent signaler un problème de coagulation du sang.
reason-pregnant_spots_stay = Pendant la grossesse ou peu après l'accouchement, des taches qui ne s'effacent pas sous le verre (ou non vérifiées) doivent être vues aujourd'hui.
reason-pregnant_new_rash = Pendant la grossesse, toute nouvelle éruption doit être vue aujourd'hui, même si elle s'efface sous le verre, car certaines infections qui en donnent peuvent nuire au bébé.
reason-weak_immunity_new_rash = Avec des défenses immunitaires faibles, toute nouvelle éruption doit être vue aujourd'hui, même si elle s'efface sous le verre : une infection comme la varicelle peut devenir grave, et le traitement marche mieux s'il commence tôt.
reason-infant_fever = Une fièvre chez un bébé de moins de 1 an doit être vue aujourd'hui, car un bébé peut devenir très malade très vite.
reason-feels_very_unwell = Se sentir très mal, ou sentir que quelque chose ne va vraiment pas, peut être un signe précoce de sepsis.
reason-keeps_vomiting = Vomir encore et encore peut déshydrater le corps. Cela peut aussi signaler une infection.
reason-fever_with_lasting_rash = De la fièvre avec des taches présentes depuis plus de 3 jours doit être vue par un médecin aujourd'hui.
reason-scarlet_fever = Un mal de gorge avec une éruption rugueuse comme du papier de verre, ou une langue rouge comme une framboise, peut être une scarlatine. Elle doit être soignée.
reason-fever_higher_risk = Une fièvre pendant la grossesse, peu après un accouchement ou avec une maladie de longue durée rend un sepsis plus probable.
reason-fever_older_adult = À partir de 65 ans, une fièvre donne un plus grand risque de sepsis.
reason-fever_after_tick_or_travel = Une fièvre après une piqûre de tique ou un voyage à l'étranger peut venir d'une infection à soigner vite.


## Reasons: routine

reason-fading_rash_lasting = Des taches qui s'effacent sous le verre mais qui sont là depuis plus de 3 jours doivent être vues par un médecin.
reason-baby_fading_rash = Un bébé de moins de 1 an qui a de nouvelles taches devrait être vu par un médecin, même si elles s'effacent sous le verre.
reason-tick_or_travel = Des taches après une piqûre de tique ou un voyage à l'étranger doivent être vues, car certaines infections se transmettent ainsi.


## Reasons: self-care

reason-fading_rash = Des taches qui s'effacent sous le verre sont le plus souvent sans danger si la personne va bien par ailleurs.
reason-fever_fading_rash = De la fièvre avec des taches qui s'effacent sous le verre vient le plus souvent d'un virus banal, si la personne va bien par ailleurs.
reason-spots_after_strain = Des taches seulement au-dessus des mamelons après une forte toux, des vomissements ou un effort viennent souvent de cet effort.
reason-spots_at_friction_site = Des taches seulement là où quelque chose a appuyé, frotté ou cogné la peau viennent en général de cette pression. Elles partent en quelques jours.


## Not sure

advice-assumed = Vous aviez un doute sur : { $facts }. Par sécurité, SpotCheck a retenu la réponse la plus grave.


## Advice lines: what fits the answers (protocol.toml, [[advice_line]])

line-oncology_line = En cas de traitement contre le cancer : appelez tout de suite votre ligne d'oncologie 24 h/24, si vous en avez une. L'équipe connaît le traitement et vous dira où aller. Si vous n'en avez pas, ou si personne ne répond tout de suite, appelez l'ambulance.
line-heat = Si la chaleur ou la transpiration l'a provoquée : gardez la personne au frais, dans des vêtements amples et légers.
line-new_product = Si un nouveau savon, une nouvelle crème ou une nouvelle lessive l'a provoquée : arrêtez de l'utiliser.
line-pressure = Éloignez des taches ce qui a serré ou frotté la peau, comme une sangle ou un élastique serré, le temps qu'elles s'effacent.
line-child_fever = En cas de fièvre chez un enfant : faites-le boire beaucoup. Vous pouvez donner du paracétamol ou de l'ibuprofène, comme indiqué sur la notice.
line-adult_fever = En cas de fièvre : buvez beaucoup et reposez-vous. Vous pouvez prendre du paracétamol ou de l'ibuprofène, comme indiqué sur la notice.

advice-lines-emergency = { $lines }
advice-lines-routine =
    D'ici là :
    { $lines }
advice-lines-self_care =
    Comment aider à la maison :
    { $lines }

## Advice

advice-emergency =
    🔴 Appelez une ambulance tout de suite ({ $emergency_numbers }), ou allez directement aux urgences de l'hôpital le plus proche.

    N'attendez pas que d'autres taches apparaissent. N'attendez pas que la fièvre baisse.

    { $lines }

    Pourquoi :
    { $reasons }
    { $assumed }

    Ce qu'il faut dire : « J'ai peur d'une méningite ou d'un sepsis (septicémie). » Si les taches ne s'effacent pas sous le verre, dites-le aussi.

    Pendant l'attente ou le trajet :
    • Prenez ses médicaments, ou leur liste.
    • Si c'est un bébé, continuez à le nourrir s'il peut téter ou boire.
    • Restez près de la personne et surveillez-la de près.

    Si son état s'aggrave pendant l'attente, rappelez tout de suite. Par exemple : réveil plus difficile, convulsion, respiration difficile, ou peau qui devient marbrée, pâle, bleutée ou grise.

    Sur une peau foncée, regardez si les lèvres, la langue, les paumes et les plantes des pieds sont bleutées, grises ou pâles. Cherchez des taches sur les paumes, les plantes des pieds, l'intérieur des paupières et le palais.

    Écoutez votre instinct. Vous avez raison de demander de l'aide.

    Sources : { $sources }

    Ceci n'est pas un diagnostic. Il repose seulement sur vos réponses.

advice-urgent =
    🟠 Demandez un avis médical aujourd'hui, dès maintenant : appelez votre médecin, un service de soins sans rendez-vous ou une ligne de conseil médical.

    Si vous ne joignez personne d'ici quelques heures, allez dans un centre de soins sans rendez-vous.

    Un adulte avec des taches qui ne s'effacent pas sous le verre peut avoir besoin d'une prise de sang (numération formule sanguine) dans les 48 heures.

    Pourquoi :
    { $reasons }
    { $assumed }

    Appelez tout de suite une ambulance ({ $emergency_numbers }) si l'une de ces choses arrive :
    • les taches qui s'effaçaient ne s'effacent plus sous le verre, ou les taches s'étendent
    • une fièvre apparaît, ou il y a de la fièvre avec des taches qui ne s'effacent pas sous le verre
    • forte envie de dormir, réveil difficile ou confusion
    • respiration rapide ou difficile
    • mains et pieds froids
    • peau marbrée, pâle, bleutée ou grise
    • nuque raide, ou la lumière vive fait mal aux yeux
    • une convulsion (crise)
    • un bébé qui a des pleurs faibles ou très aigus

    En attendant de voir un médecin, refaites le test du verre régulièrement, à quelques heures d'intervalle, la nuit aussi. Des taches qui s'effacent maintenant peuvent ne plus s'effacer plus tard.

    Sur une peau foncée, cherchez des taches sur les paumes des mains, les plantes des pieds, l'intérieur des paupières, le palais et le ventre. Regardez si les lèvres et la langue sont bleutées, grises ou pâles.

    Écoutez votre instinct. Si quelque chose vous inquiète encore, demandez de l'aide quand même.

    Sources : { $sources }

    Ceci n'est pas un diagnostic. Il repose seulement sur vos réponses.

advice-routine =
    🟡 Prenez un rendez-vous normal chez un médecin dans les prochains jours. Pas besoin que ce soit aujourd'hui.

    Pourquoi :
    { $reasons }
    { $assumed }

    { $lines }

    Appelez tout de suite une ambulance ({ $emergency_numbers }) si l'une de ces choses arrive :
    • les taches ne s'effacent plus sous le verre, ou elles s'étendent
    • une fièvre apparaît, ou il y a de la fièvre avec des taches qui ne s'effacent pas sous le verre
    • forte envie de dormir, réveil difficile ou confusion
    • respiration rapide ou difficile
    • mains et pieds froids
    • peau marbrée, pâle, bleutée ou grise
    • nuque raide, ou la lumière vive fait mal aux yeux
    • une convulsion (crise)
    • un bébé qui a des pleurs faibles ou très aigus

    Demandez un avis aujourd'hui (votre médecin, un service sans rendez-vous ou une ligne de conseil médical) si son état s'aggrave d'une autre façon, ou si une fièvre dure plus de 3 jours.

    Refaites le test du verre régulièrement, à quelques heures d'intervalle, la nuit aussi. Des taches qui s'effacent maintenant peuvent ne plus s'effacer plus tard.

    Sur une peau foncée, cherchez des taches sur les paumes des mains, les plantes des pieds, l'intérieur des paupières, le palais et le ventre. Regardez si les lèvres et la langue sont bleutées, grises ou pâles.

    Écoutez votre instinct. Si quelque chose vous inquiète encore, demandez de l'aide quand même.

    Sources : { $sources }

    Ceci n'est pas un diagnostic. Il repose seulement sur vos réponses.

advice-self_care =
    🟢 Pour l'instant, vous pouvez vous en occuper à la maison. Continuez à surveiller, et demandez de l'aide si quelque chose change.

    Pourquoi :
    { $reasons }
    { $assumed }

    { $lines }

    Appelez tout de suite une ambulance ({ $emergency_numbers }) si l'une de ces choses arrive :
    • les taches ne s'effacent plus sous le verre, ou elles s'étendent
    • une fièvre apparaît, ou il y a de la fièvre avec des taches qui ne s'effacent pas sous le verre
    • forte envie de dormir, réveil difficile ou confusion
    • respiration rapide ou difficile
    • mains et pieds froids
    • peau marbrée, pâle, bleutée ou grise
    • nuque raide, ou la lumière vive fait mal aux yeux
    • une convulsion (crise)
    • un bébé qui a des pleurs faibles ou très aigus

    Contactez votre médecin aujourd'hui si de nouvelles taches apparaissent ailleurs, si les taches sont encore là après 3 jours, ou si une fièvre dure plus de 3 jours.

    Refaites le test du verre régulièrement, à quelques heures d'intervalle, la nuit aussi. Des taches qui s'effacent maintenant peuvent ne plus s'effacer plus tard.

    Sur une peau foncée, cherchez des taches sur les paumes des mains, les plantes des pieds, l'intérieur des paupières, le palais et le ventre. Regardez si les lèvres et la langue sont bleutées, grises ou pâles.

    Écoutez votre instinct. Si quelque chose vous inquiète encore, demandez de l'aide quand même.

    Sources : { $sources }

    Ceci n'est pas un diagnostic. Il repose seulement sur vos réponses.


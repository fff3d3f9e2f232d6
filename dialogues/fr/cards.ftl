### Fiches d'information de SpotCheck en français, pour les groupes, les canaux et le mode inline.
###
### Vouvoiement. card-<id> : la fiche, pour les ids de dialogues/cards.toml. Une ligne de titre
### avec un emoji (jamais un signe de triage), puis des lignes courtes. La fiche glasstest est la
### légende d'une photo. Le code ajoute le bouton de la vérification privée et la ligne des
### sources (card-sources) là où il les montre.
### card-<id>-title : de 2 à 5 mots, sans emoji (boutons du menu, titres inline, commandes).
### card-<id>-keywords : mots en minuscules qu'une personne peut taper en mode inline.
### Les fiches ne posent jamais de question sur la santé de quelqu'un : les vérifications
### personnelles se font seulement en privé. Texte brut : ni HTML ni Markdown.
### Les espaces avant « : ? ! » sont des espaces insécables (U+00A0).


## Fiches

card-petechiae =
    🔍 Que sont les pétéchies ?

    Les pétéchies sont de toutes petites taches sur la peau (moins de 2 mm), comme des piqûres d'épingle.
    • Elles peuvent être rouges, violettes ou brunes.
    • Elles viennent de minuscules saignements sous la peau.
    • Elles ne s'effacent donc pas quand on appuie dessus.
    Des taches plus grandes, comme des bleus, forment un purpura.

    La plupart des taches rouges sont sans gravité. Mais des taches qui ne s'effacent pas peuvent signaler une maladie grave : méningite, sepsis ou problème du sang.
    Faites le test du verre. Taches qui restent et fièvre : c'est une urgence.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-petechiae-title = Que sont les pétéchies ?
card-petechiae-keywords = pétéchies petechies taches points rouges violettes piqûre piqure saignement purpura

card-glasstest =
    🥛 Le test du verre

    1. Appuyez fermement le côté d'un verre transparent sur les taches.
    2. Regardez les taches à travers le verre.

    • Les taches restent, avec de la fièvre : c'est une urgence. Appelez le numéro d'urgence.
    • Les taches restent chez un enfant, même sans fièvre : demandez de l'aide tout de suite.
    • Les taches restent chez un adulte qui va bien : appelez un médecin aujourd'hui.
    • Les taches s'effacent : souvent sans gravité. Mais si la personne semble très malade, demandez de l'aide.

    Au début, les taches peuvent s'effacer. Refaites le test régulièrement.
    N'attendez pas que des taches apparaissent. Si quelqu'un va très mal ou de plus en plus mal, demandez de l'aide tout de suite.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-glasstest-title = Le test du verre
card-glasstest-keywords = test verre appuyer presser effacer efface eruption éruption taches points

card-darkskin =
    ✋🏾 Taches sur peau foncée

    Sur une peau brune ou noire, les taches peuvent être difficiles à voir.
    Cherchez-les sur les zones plus claires :
    • les paumes des mains
    • les plantes des pieds
    • l'intérieur des paupières
    • le palais
    • le ventre
    Faites-y aussi le test du verre.

    Regardez aussi les lèvres et la langue. Si elles sont pâles, bleutées ou grises, cela peut être un signe de sepsis. Appelez le numéro d'urgence.

    N'attendez pas que des taches apparaissent. Si quelqu'un est très malade, demandez de l'aide tout de suite.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-darkskin-title = Taches sur peau foncée
card-darkskin-keywords = peau foncée foncee noire brune paumes plantes paupières paupieres palais lèvres levres langue taches

card-redflags =
    🚨 Signes d'alerte : méningite et sepsis

    Méningite :
    • fièvre, mal de tête, nuque raide
    • la lumière vive fait mal aux yeux
    • forte envie de dormir, réveil difficile ou confusion
    • une convulsion (crise)
    • des taches qui ne s'effacent pas sous le verre
    Sepsis (septicémie) :
    • respiration très rapide
    • mains et pieds froids
    • peau marbrée, pâle, bleutée ou grise
    • confusion ou difficulté à parler
    • pas d'urine de toute la journée
    • chez un bébé : pleurs faibles ou très aigus
    • le sentiment que quelque chose ne va vraiment pas

    L'un de ces signes ? Appelez tout de suite le numéro d'urgence. N'attendez pas que des taches apparaissent.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-redflags-title = Signes de méningite et sepsis
card-redflags-keywords = signes alerte méningite meningite sepsis septicémie septicemie fièvre fievre nuque urgence symptômes symptomes

card-causes =
    🧴 Causes fréquentes et bénignes

    Beaucoup de taches rouges sont sans gravité, par exemple :
    • les boutons de chaleur (bourbouille)
    • le frottement ou la pression d'un vêtement serré
    • un nouveau savon, une crème ou une lessive (eczéma de contact)
    • un effort : tousser fort, vomir ou pleurer peut laisser de petites taches sur le visage et le cou
    Elles partent en général en quelques jours.

    Faites quand même le test du verre.
    • Taches qui restent, avec fièvre : urgence.
    • Taches qui restent chez un enfant : demandez de l'aide tout de suite. Seulement au visage et au cou après un effort ? Voyez un médecin aujourd'hui.
    • Pas mieux après quelques jours ? Consultez un médecin.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-causes-title = Causes fréquentes et bénignes
card-causes-keywords = causes bénignes benignes chaleur bourbouille frottement savon crème creme eczéma eczema toux vomissement pleurs

card-serious =
    🩺 Causes graves des taches rouges

    Certaines taches rouges viennent :
    • d'infections : méningocoque, sepsis, scarlatine, fièvre pourprée des montagnes Rocheuses (tiques), endocardite (infection du cœur)
    • de problèmes du sang ou de la coagulation, comme un manque de plaquettes (PTI)
    • de médicaments qui fluidifient le sang (warfarine, aspirine)
    • d'une leucémie ou d'un autre cancer du sang
    • d'un manque de vitamine C ou K

    Des taches seules ne veulent pas dire cancer : un cancer donne le plus souvent d'autres signes.
    Taches qui ne s'effacent pas sous le verre : toujours voir un médecin.
    N'arrêtez pas un médicament sans l'avis de votre médecin.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-serious-title = Causes graves des taches
card-serious-keywords = causes graves infection plaquettes pti warfarine aspirine leucémie leucemie cancer vitamine sang

card-risk =
    👥 Qui est plus à risque de sepsis ?

    Tout le monde peut avoir un sepsis. Le risque est plus élevé pour :
    • les bébés de moins de 1 an
    • les personnes de 65 ans ou plus
    • les personnes fragiles
    • les personnes diabétiques
    • les personnes aux défenses immunitaires faibles, ou sous chimiothérapie
    • les femmes enceintes ou qui viennent d'accoucher
    • les personnes récemment opérées ou qui sortent d'une maladie grave

    Dans ces groupes, demandez vite un avis médical en cas de fièvre ou de nouvelles taches.
    Avec des défenses faibles ou une chimiothérapie, la fièvre est une urgence.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-risk-title = Risque accru de sepsis
card-risk-keywords = risque sepsis bébé bebe âgé age fragile diabète diabete immunité immunite chimiothérapie chimiotherapie enceinte

card-gethelp =
    📞 Quand demander de l'aide

    Appelez le numéro d'urgence tout de suite pour :
    • des taches qui restent sous le verre, avec de la fièvre
    • des taches qui restent chez un enfant ou un bébé
    • tout signe d'alerte de méningite ou de sepsis
    Appelez un médecin aujourd'hui pour :
    • des taches qui restent chez un adulte qui va bien
    • des saignements ou des bleus inhabituels
    • des signes de scarlatine : mal de gorge, fièvre et éruption rugueuse comme du papier de verre
    Voyez un médecin dans quelques jours si :
    • des taches qui s'effacent ne vont pas mieux après quelques jours

    Écoutez votre instinct. Dans le doute, demandez de l'aide quand même.

    Information générale, pas un diagnostic.
    Une inquiétude pour quelqu'un ? Vérifiez en privé avec le bouton ci-dessous.

card-gethelp-title = Quand demander de l'aide
card-gethelp-keywords = aide quand médecin medecin urgence urgences samu ambulance appeler hôpital hopital


## Autour des fiches

card-sources = Sources : { $sources }

bot-group-intro =
    Ici, SpotCheck publie de courtes fiches sur les taches rouges, le test du verre et les signes d'alerte.
    Les vérifications personnelles se font uniquement en discussion privée avec le bot, jamais ici.
    Tapez /learn pour voir les fiches.

bot-learn-menu = Choisissez une fiche à publier ici :

cmd-learn = Fiches courtes : test du verre, signes d'alerte, causes

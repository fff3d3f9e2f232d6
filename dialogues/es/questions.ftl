### SpotCheck questions in Spanish (neutral international Spanish, "usted" to the reader, as in
### cards.ftl). Machine-assisted translation of en/questions.ftl: awaiting review by a
### native-speaking clinician (see ../REVIEW.md). Same ids and variables as English.
###
### q-<question id>: the question, sent as one Telegram message with answer buttons.
### short-<question id>: a 1-4 word label for the summary a parent can send to a doctor.
### opt-...: answer button labels (30 characters at most).
### fact-<fact key>: a few words naming a fact, used in "Tenía dudas sobre ...".
###
### The person with the spots is spoken of in the third person, usually with no subject
### ("¿Tiene fiebre?"); q-red_flags and q-age say that the questions are about that person.
### Terms: "manchas" (the spots, pinpoint or bruise-like), "puntitos" (pinpoint), "prueba del
### vaso", "desaparecen bajo el vaso" (blanch) / "no desaparecen" (do not blanch), "convulsión".

## Questions

q-red_flags =
    Empecemos por las señales de alarma. Las preguntas hablan de la persona con las manchas: su hijo o hija, otra persona o usted.

    ¿Pasa ahora alguna de estas cosas? Toque cada cosa que pase y después toque Listo.

    • Mucho sueño, difícil de despertar, o confusión
    • Una convulsión (ataque)
    • Respira muy rápido o con mucho esfuerzo, o el corazón late muy rápido
    • Manos y pies fríos, o piel con parches de color, pálida, azulada o gris. En la piel oscura, mire los labios, la lengua, las palmas y las plantas de los pies.
    • Se le ve muy mal, o usted siente que algo va muy mal. Confíe en lo que siente: nadie sabe mejor que usted cómo está normalmente.
    • El cuello rígido o dolorido: le duele bajar la cabeza hacia delante y tocar el pecho con la barbilla.
    • Dolor de cabeza. Si aún es muy pequeño para decírselo, responda por lo que nota.
    • Le molesta la luz fuerte o le duelen los ojos con ella: aparta la cara de la luz o tiene los ojos cerrados.

    Si pasa una de las cuatro primeras, tóquela: el consejo llega enseguida.

q-age = ¿Qué edad tiene la persona con las manchas?

q-baby_cry =
    ¿El llanto del bebé es débil, muy agudo o no para?

    Toque «Sí» si suena muy distinto a su llanto de siempre.

q-fever =
    ¿Tuvo fiebre en las últimas 24 horas?

    Es decir, una temperatura de 38 °C (100.4 °F) o más, o sentir calor con escalofríos. Cuenta como fiebre aunque una medicina la haya bajado.

q-glass_test =
    Ahora haga la prueba del vaso. Tarda unos segundos.

    1. Apriete con fuerza el lado de un vaso de vidrio transparente sobre las manchas.
    2. Mire las manchas a través del vaso.
    3. Al principio pueden desaparecer. Siga apretando y mire bien.

    En la piel oscura, las manchas pueden ser difíciles de ver. Mire también las zonas más claras: las palmas de las manos, las plantas de los pies, el interior de los párpados, el paladar (el techo de la boca) y la barriga.

    ¿Las manchas desaparecen bajo el vaso, o todavía las ve?

    Si ahora no puede hacer la prueba, toque «No puedo hacerla ahora».

q-spots =
    Sobre las manchas: ¿pasa algo de esto? Toque cada cosa que pase y después toque Listo.

    • Se están extendiendo, o salen manchas nuevas muy rápido.
    • Están solo en la cara, el cuello y la parte alta del pecho, por encima de los pezones (ninguna más abajo, en la barriga o las piernas).
    • Justo antes de que salieran, tosió, vomitó, hizo mucha fuerza o lloró muy fuerte.
    • Están solo donde algo apretó, rozó o golpeó la piel: bajo una correa o un elástico apretado, el brazalete de la presión, o alrededor de un raspón.

q-spot_size =
    ¿De qué tamaño son las manchas?

    Puntitos diminutos: como pinchazos de alfiler, de menos de 2 mm.
    Más grandes: zonas más grandes que parecen moretones.

    Si hay de los dos tipos, elija las más grandes.

q-serious_bleeding =
    ¿Pasa alguna de estas cosas?

    • Un sangrado que no para
    • Tos con sangre o vómitos con sangre
    • Sangre en la orina
    • Caca negra, o sangre en la caca

q-immune =
    ¿Tiene las defensas bajas por una enfermedad o por una medicina?

    Por ejemplo quimioterapia (tratamiento del cáncer), corticoides en dosis altas, o medicinas después de un trasplante de órgano.

q-more =
    ¿Le pasa algo de esto? Toque cada cosa que le pase y después toque Listo.

    • Sangrados o moretones poco normales: sangrado de nariz, encías que sangran, tos o vómitos con sangre, sangre en la orina o en la caca, o moretones que salen con mucha facilidad.
    • Una medicina que hace la sangre más líquida, como warfarina, apixabán, rivaroxabán, clopidogrel o aspirina todos los días.
    • Una enfermedad de larga duración, como diabetes, una enfermedad del hígado, lupus, cáncer o las defensas bajas.
    • Vomita una y otra vez.
    • Dolor de garganta con un sarpullido áspero, como papel de lija, o la lengua roja y con bultitos, como una fresa.
    • Le picó una garrapata o viajó a otro país en las últimas semanas. La garrapata es un bichito diminuto que pica. Vive en la hierba alta y en los bosques.
    • El sarpullido salió después de calor o sudor, o después de usar un jabón, una crema o un detergente nuevo.
    • Está embarazada, o dio a luz en las últimas 6 semanas.

q-days = ¿Cuándo salieron las primeras manchas?

## Short labels for the summary

short-red_flags = Señales de alarma
short-age = Edad
short-baby_cry = Llanto débil o agudo
short-fever = Fiebre
short-glass_test = Prueba del vaso
short-spots = Sobre las manchas
short-spot_size = Tamaño de las manchas
short-serious_bleeding = Sangrado grave
short-immune = Defensas bajas
short-more = Otras señales
short-days = Desde cuándo hay manchas

## Answer buttons

opt-yes = Sí
opt-no = No
opt-unsure = No sé
tick-drowsy_or_confused = Mucho sueño o confusión
tick-seizure = Una convulsión
tick-fast_breathing_or_heart = Respira o late muy rápido
tick-cold_hands_feet_or_mottled = Manos frías, piel con parches
tick-unusual_bleeding = Sangrados o moretones raros
tick-takes_blood_thinner = Toma anticoagulante
tick-chronic_condition = Enfermedad de larga duración
tick-vomiting = Vomita una y otra vez
tick-scarlet_fever_signs = Piel de lija o lengua de fresa
tick-tick_bite_or_travel = Garrapata o viaje a otro país
tick-heat_or_new_skin_product = Tras calor o un producto nuevo
tick-pregnant = Embarazo o parto reciente
opt-checklist-done = Listo
opt-checklist-none = Nada de esto
opt-checklist-unsure = No sé algunas
btn-item-ticked = ✅ { $item }
btn-item-unticked = ▫️ { $item }
tick-spreading = Se extienden
tick-rash_only_above_nipple_line = Solo encima de los pezones
tick-recent_strain = Tras toser o hacer fuerza
tick-recent_injury_or_friction_at_site = Solo donde algo apretó
tick-feels_very_unwell = Se le ve muy mal
tick-stiff_neck = Cuello rígido o dolorido
tick-headache = Dolor de cabeza
tick-light_sensitivity = Le molesta la luz

opt-age_years-under_3m = Menos de 3 meses
opt-age_years-3_to_11m = De 3 a 11 meses
opt-age_years-1_to_4y = De 1 a 4 años
opt-age_years-5_to_15y = De 5 a 15 años
opt-age_years-16_to_64y = De 16 a 64 años
opt-age_years-65_plus = 65 años o más

opt-days_present-under_1d = Menos de un día
opt-days_present-1_to_3d = De 1 a 3 días
opt-days_present-over_3d = Más de 3 días

opt-blanching-fades = Desaparecen bajo el vaso
opt-blanching-stays = Todavía las veo
opt-blanching-unsure = No sé
opt-blanching-not_done = No puedo hacerla ahora

opt-spot_size-pinpoint = Puntitos diminutos
opt-spot_size-larger_bruise_like = Más grandes, como moretones

## Facts, for "Tenía dudas sobre ..." (and listed as findings in the summary)

fact-age_years = la edad
fact-days_present = cuánto tiempo llevan las manchas
fact-blanching = la prueba del vaso
fact-spot_size = el tamaño de las manchas
fact-spreading = si las manchas se extienden
fact-itchy = el picor
fact-fever = la fiebre
fact-scarlet_fever_signs = señales de escarlatina
fact-feels_very_unwell = sentirse muy mal
fact-headache = el dolor de cabeza
fact-stiff_neck = el cuello rígido
fact-light_sensitivity = la luz fuerte que molesta en los ojos
fact-drowsy_or_confused = el sueño o la confusión
fact-fast_breathing_or_heart = la respiración rápida o el corazón acelerado
fact-cold_hands_feet_or_mottled = las manos y los pies fríos o el color de la piel
fact-vomiting = los vómitos
fact-seizure = una convulsión
fact-unusual_bleeding = sangrados o moretones poco normales
fact-recent_strain = la tos fuerte, los vómitos o el esfuerzo
fact-rash_only_above_nipple_line = dónde están las manchas
fact-recent_injury_or_friction_at_site = la presión o el roce en la piel
fact-heat_or_new_skin_product = el calor o un producto nuevo para la piel
fact-takes_blood_thinner = una medicina que hace la sangre más líquida
fact-recent_infection = una infección reciente
fact-chronic_condition = una enfermedad de larga duración
fact-pregnant = el embarazo
fact-tick_bite_or_travel = una picadura de garrapata o un viaje
fact-weak_high_pitched_cry = el llanto del bebé
fact-serious_bleeding_sign = un sangrado grave
fact-immunocompromised = las defensas bajas

### SpotCheck advice in Spanish (neutral international Spanish, "usted" to the reader, as in cards.ftl).
### Machine-assisted translation of en/advice.ftl: awaiting review by a native-speaking
### clinician (see ../REVIEW.md). Same ids and variables as English.
###
### reason-<rule id>: one short sentence naming what was found and why it matters. These are shown
### as "• ..." lines under "Por qué:" and returned as `reasons` by `spotcheck assess --lang es`.
### "(o sin revisar)" stands for the glass test answers "not sure" and "not done".
###
### advice-<level>: the final advice. Its first character is the level's sign and no other message
### starts with one. Variables: $reasons (bullet lines), $assumed (a sentence or empty),
### $sources (comma-separated names), $emergency_numbers. Plain text: no HTML, no Markdown.
### The levels are kept apart in words: 🔴 ambulancia / urgencias del hospital, 🟠 consejo médico
### hoy, 🟡 cita normal en los próximos días, 🟢 cuidar en casa. "Urgencias" and "emergencia"
### are used only for the 🔴 level.


## Reasons: emergency

reason-stays_with_fever = Las manchas que no desaparecen bajo el vaso (o sin revisar), con fiebre, pueden ser señal de meningitis o sepsis.
reason-stays_and_spreading = Las manchas que no desaparecen bajo el vaso (o sin revisar) y se extienden pueden ser señal de meningitis o sepsis.
reason-purpura = Las manchas grandes como moretones que no desaparecen bajo el vaso (o sin revisar) pueden ser meningitis o sepsis, incluso sin fiebre.
reason-child_spots_stay = En un niño, las manchas que no desaparecen bajo el vaso (o sin revisar) pueden ser señal de una enfermedad grave, aunque parezca estar bien.
reason-baby_spots_stay = En un bebé de menos de 3 meses, las manchas que no desaparecen bajo el vaso (o sin revisar) pueden ser señal de una enfermedad grave.
reason-baby_fever = Una fiebre de 38 °C (100.4 °F) o más en un bebé de menos de 3 meses puede ser señal de una infección grave.
reason-drowsy_or_confused = Tener mucho sueño, despertar con dificultad o tener confusión puede ser señal de meningitis o sepsis.
reason-seizure = Una convulsión siempre necesita ayuda de emergencia. Además, puede ser señal de una infección grave.
reason-fast_breathing = Respirar muy rápido o con mucho esfuerzo, o tener el corazón muy acelerado, puede ser señal de sepsis.
reason-mottled_or_cold = Las manos y pies fríos, o la piel con parches de color, pálida, azulada o gris, pueden ser señal de sepsis.
reason-weak_cry = En un bebé, un llanto débil, muy agudo o que no para puede ser señal de una enfermedad grave.
reason-fever_stiff_neck = La fiebre con el cuello rígido puede ser señal de meningitis.
reason-fever_headache_light = La fiebre con dolor de cabeza y molestia en los ojos con la luz fuerte puede ser señal de meningitis.
reason-stiff_neck_meningitis_signs = El cuello rígido con dolor de cabeza, vómitos o molestia con la luz puede ser señal de meningitis o de un sangrado alrededor del cerebro, aunque no haya fiebre.
reason-young_child_stiff_neck = El cuello rígido en un niño de menos de 5 años puede ser señal de meningitis.
reason-stays_with_meningitis_signs = Las manchas que no desaparecen bajo el vaso (o sin revisar), con dolor de cabeza, cuello rígido o molestia con la luz, pueden ser señal de meningitis.
reason-child_very_unwell = Un niño que se ve muy mal necesita ayuda ya, aunque las manchas desaparezcan: al principio de una meningitis, las manchas pueden desaparecer.
reason-stays_and_very_unwell = Las manchas que no desaparecen bajo el vaso (o sin revisar), en alguien que se ve muy mal, pueden ser sepsis o meningitis.
reason-fever_weak_immunity = Con las defensas bajas, una fiebre puede volverse muy rápido una infección muy grave.
reason-serious_bleeding = Un sangrado que no para, o sangre en el vómito, la tos, la orina o la caca, puede ser un sangrado grave dentro del cuerpo.
reason-blood_thinner_headache = El dolor de cabeza al tomar una medicina que hace la sangre más líquida puede ser señal de un sangrado en la cabeza.


## Reasons: urgent

reason-adult_spots_stay = En un adulto, las manchas que no desaparecen bajo el vaso (o sin revisar) pueden ser un problema de la sangre. Un médico debe verlas hoy.
reason-child_spots_stay_explained = En un niño, las manchas que no desaparecen bajo el vaso necesitan un médico hoy, aunque parezca haber una causa clara.
reason-unusual_bleeding = Sangrar por la nariz o las encías, o tener moretones con facilidad, junto con las manchas, puede indicar un problema de coagulación de la sangre.
reason-pregnant_spots_stay = En el embarazo o poco después del parto, las manchas que no desaparecen bajo el vaso (o sin revisar) necesitan una revisión hoy.
reason-pregnant_new_rash = En el embarazo, cualquier sarpullido nuevo necesita una revisión hoy, aunque desaparezca bajo el vaso, porque algunas infecciones que lo causan pueden dañar al bebé.
reason-weak_immunity_new_rash = Con las defensas bajas, cualquier sarpullido nuevo necesita una revisión hoy, aunque desaparezca bajo el vaso: infecciones como la varicela pueden volverse graves, y el tratamiento funciona mejor si empieza pronto.
reason-infant_fever = La fiebre en un bebé de menos de 1 año necesita una revisión hoy, porque los bebés pueden ponerse muy graves muy rápido.
reason-feels_very_unwell = Sentirse muy mal, o sentir que algo va muy mal, puede ser una señal temprana de sepsis.
reason-keeps_vomiting = Vomitar una y otra vez puede deshidratar el cuerpo. También puede ser señal de infección.
reason-fever_with_lasting_rash = La fiebre con manchas que duran más de 3 días debe verla un médico hoy.
reason-scarlet_fever = Un dolor de garganta con un sarpullido áspero como papel de lija, o una lengua roja como una fresa, puede ser escarlatina. La escarlatina necesita tratamiento.
reason-fever_higher_risk = La fiebre en el embarazo, poco después de un parto o con una enfermedad de larga duración hace más probable la sepsis.
reason-fever_older_adult = La fiebre a partir de los 65 años tiene más riesgo de sepsis.
reason-fever_after_tick_or_travel = La fiebre después de una picadura de garrapata o de un viaje a otro país puede ser una infección que necesita tratamiento pronto.


## Reasons: routine

reason-fading_rash_lasting = Las manchas que desaparecen bajo el vaso pero duran más de 3 días debe verlas un médico.
reason-baby_fading_rash = Es mejor que un médico vea a un bebé de menos de 1 año con manchas nuevas, aunque desaparezcan bajo el vaso.
reason-tick_or_travel = Las manchas después de una picadura de garrapata o de un viaje a otro país se deben revisar, porque algunas infecciones se contagian así.


## Reasons: self-care

reason-fading_rash = Las manchas que desaparecen bajo el vaso casi siempre son inofensivas si la persona está bien en todo lo demás.
reason-fever_fading_rash = La fiebre con manchas que desaparecen bajo el vaso suele ser un virus común, si la persona está bien en todo lo demás.
reason-spots_after_strain = Las manchas solo por encima de los pezones después de toser, vomitar o hacer mucha fuerza suelen venir de ese esfuerzo.
reason-spots_at_friction_site = Las manchas solo donde algo apretó, rozó o golpeó la piel suelen venir de esa presión. Se van en unos días.


## Not sure

advice-assumed = Tenía dudas sobre { $facts }. Por seguridad, SpotCheck tomó la respuesta más grave.


## Advice lines: what fits the answers (protocol.toml, [[advice_line]])

line-oncology_line = Si recibe tratamiento contra el cáncer: llame ahora a su línea de oncología de 24 horas, si la tiene. Conocen el tratamiento y le dirán adónde ir. Si no la tiene, o nadie contesta enseguida, llame a la ambulancia.
line-heat = Si salió por calor o sudor: que esté fresco, con ropa suelta y ligera.
line-new_product = Si salió tras usar un jabón, una crema o un detergente nuevo: deje de usarlo.
line-pressure = Aparte de las manchas lo que apretó o rozó la piel, como una correa o una goma apretada, mientras se van.
line-child_fever = Si un niño tiene fiebre: dele mucho de beber. Puede darle paracetamol (acetaminofén) o ibuprofeno como dice el envase.
line-adult_fever = Si hay fiebre: beba mucho y descanse. Puede tomar paracetamol (acetaminofén) o ibuprofeno como dice el envase.

advice-lines-emergency = { $lines }
advice-lines-routine =
    Mientras tanto:
    { $lines }
advice-lines-self_care =
    Cómo ayudar en casa:
    { $lines }

## Advice

advice-emergency =
    🔴 Llame ahora mismo a una ambulancia ({ $emergency_numbers }), o vaya directo a urgencias del hospital más cercano.

    No espere a que salgan más manchas. No espere a que baje la fiebre.

    { $lines }

    Por qué:
    { $reasons }
    { $assumed }

    Qué decir: «Me preocupa que sea meningitis o sepsis». Si las manchas no desaparecen bajo el vaso, dígalo también.

    Mientras espera o va de camino:
    • Lleve las medicinas que toma, o una lista de ellas.
    • Si es un bebé, siga dándole de comer si puede comer.
    • Quédese a su lado y no le quite la vista de encima.

    Si empeora mientras espera, vuelva a llamar enseguida. Por ejemplo: le cuesta más despertarse, tiene una convulsión, le cuesta respirar, o la piel se pone con parches de color, pálida, azulada o gris.

    En la piel oscura, mire si los labios, la lengua, las palmas y las plantas de los pies tienen un color azulado, gris o pálido. Busque manchas en las palmas, las plantas, el interior de los párpados y el paladar.

    Confíe en su instinto. Hace bien en pedir ayuda.

    Fuentes: { $sources }

    Esto no es un diagnóstico. Se basa solo en las respuestas que dio.

advice-urgent =
    🟠 Pida consejo médico hoy, ahora mismo: llame a su médico, a un servicio de atención sin cita o a una línea telefónica de enfermería.

    Si en pocas horas no logra hablar con nadie, vaya a un centro médico que atienda sin cita.

    Un adulto con manchas que no desaparecen bajo el vaso puede necesitar un análisis de sangre (hemograma completo) en las próximas 48 horas.

    Por qué:
    { $reasons }
    { $assumed }

    Llame enseguida a una ambulancia ({ $emergency_numbers }) si pasa alguna de estas cosas:
    • las manchas que desaparecían ya no desaparecen bajo el vaso, o las manchas se extienden
    • aparece fiebre, o hay fiebre con manchas que no desaparecen bajo el vaso
    • mucho sueño, difícil de despertar, o confusión
    • respira rápido o con esfuerzo
    • manos y pies fríos
    • piel con parches de color, pálida, azulada o gris
    • cuello rígido, o la luz fuerte le duele en los ojos
    • una convulsión (ataque)
    • un bebé con un llanto débil o muy agudo

    Hasta que le vea un médico, repita la prueba del vaso cada pocas horas, también de noche. Las manchas que ahora desaparecen pueden dejar de hacerlo más tarde.

    En la piel oscura, busque manchas en las palmas de las manos, las plantas de los pies, el interior de los párpados, el paladar y la barriga. Mire si los labios y la lengua tienen un color azulado, gris o pálido.

    Confíe en su instinto. Si aún le preocupa, pida ayuda de todos modos.

    Fuentes: { $sources }

    Esto no es un diagnóstico. Se basa solo en las respuestas que dio.

advice-routine =
    🟡 Pida una cita normal con un médico para los próximos días. No hace falta que sea hoy.

    Por qué:
    { $reasons }
    { $assumed }

    { $lines }

    Llame enseguida a una ambulancia ({ $emergency_numbers }) si pasa alguna de estas cosas:
    • las manchas ya no desaparecen bajo el vaso, o se extienden
    • aparece fiebre, o hay fiebre con manchas que no desaparecen bajo el vaso
    • mucho sueño, difícil de despertar, o confusión
    • respira rápido o con esfuerzo
    • manos y pies fríos
    • piel con parches de color, pálida, azulada o gris
    • cuello rígido, o la luz fuerte le duele en los ojos
    • una convulsión (ataque)
    • un bebé con un llanto débil o muy agudo

    Pida consejo hoy mismo (a su médico, a un servicio de atención sin cita o a una línea de enfermería) si empeora de otra forma, o si la fiebre dura más de 3 días.

    Repita la prueba del vaso cada pocas horas, también de noche. Las manchas que ahora desaparecen pueden dejar de hacerlo más tarde.

    En la piel oscura, busque manchas en las palmas de las manos, las plantas de los pies, el interior de los párpados, el paladar y la barriga. Mire si los labios y la lengua tienen un color azulado, gris o pálido.

    Confíe en su instinto. Si aún le preocupa, pida ayuda de todos modos.

    Fuentes: { $sources }

    Esto no es un diagnóstico. Se basa solo en las respuestas que dio.

advice-self_care =
    🟢 Por ahora puede cuidar esto en casa. Siga vigilando, y pida ayuda si algo cambia.

    Por qué:
    { $reasons }
    { $assumed }

    { $lines }

    Llame enseguida a una ambulancia ({ $emergency_numbers }) si pasa alguna de estas cosas:
    • las manchas ya no desaparecen bajo el vaso, o se extienden
    • aparece fiebre, o hay fiebre con manchas que no desaparecen bajo el vaso
    • mucho sueño, difícil de despertar, o confusión
    • respira rápido o con esfuerzo
    • manos y pies fríos
    • piel con parches de color, pálida, azulada o gris
    • cuello rígido, o la luz fuerte le duele en los ojos
    • una convulsión (ataque)
    • un bebé con un llanto débil o muy agudo

    Hable hoy con su médico si salen manchas nuevas en otra parte del cuerpo, si las manchas siguen ahí después de 3 días, o si la fiebre dura más de 3 días.

    Repita la prueba del vaso cada pocas horas, también de noche. Las manchas que ahora desaparecen pueden dejar de hacerlo más tarde.

    En la piel oscura, busque manchas en las palmas de las manos, las plantas de los pies, el interior de los párpados, el paladar y la barriga. Mire si los labios y la lengua tienen un color azulado, gris o pálido.

    Confíe en su instinto. Si aún le preocupa, pida ayuda de todos modos.

    Fuentes: { $sources }

    Esto no es un diagnóstico. Se basa solo en las respuestas que dio.


### Fichas educativas de SpotCheck en español, para grupos, canales y el modo en línea.
###
### Español neutro, con "usted". card-<id>: la ficha, para los ids de dialogues/cards.toml. Una
### línea de título con un emoji (nunca un signo de triaje) y después líneas cortas. La ficha
### glasstest es el pie de una foto. El código añade el botón de la revisión privada y la línea de
### fuentes (card-sources) donde las muestra.
### card-<id>-title: de 2 a 5 palabras, sin emoji (botones del menú, títulos en línea, comandos).
### card-<id>-keywords: palabras en minúsculas que alguien puede escribir en el modo en línea.
### Las fichas nunca preguntan por la salud de nadie: las revisiones personales son solo en privado.
### Texto sin formato: ni HTML ni Markdown.


## Fichas

card-petechiae =
    🔍 ¿Qué son las petequias?

    Las petequias son manchas muy pequeñas en la piel, de menos de 2 mm, como pinchazos.
    • Pueden ser rojas, moradas o marrones.
    • Se deben a pequeños sangrados bajo la piel.
    • Por eso no desaparecen al presionarlas.
    Las manchas más grandes, que parecen moretones, se llaman púrpura.

    La mayoría de las manchas rojas no son graves. Pero las que no desaparecen pueden ser señal de una enfermedad grave, como meningitis, sepsis o un problema de la sangre.
    Revise las manchas nuevas con la prueba del vaso. Si no desaparecen y hay fiebre, es una emergencia.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-petechiae-title = ¿Qué son las petequias?
card-petechiae-keywords = petequias manchas puntos rojas morados pinchazo sangrado purpura púrpura diminutas

card-glasstest =
    🥛 La prueba del vaso

    1. Presione con firmeza el lado de un vaso transparente sobre las manchas.
    2. Mire las manchas a través del vaso.

    • Las manchas no desaparecen y hay fiebre: es una emergencia. Llame ya al número de emergencias.
    • Las manchas no desaparecen en un niño, aunque no tenga fiebre: pida ayuda ya.
    • Las manchas no desaparecen en un adulto que se encuentra bien: llame hoy a un médico.
    • Las manchas desaparecen: suele ser algo leve. Pero pida ayuda si la persona parece muy enferma.

    Al principio, las manchas pueden desaparecer. Siga mirando y repita la prueba cada pocas horas.
    No espere a que salga un sarpullido. Si alguien está muy enfermo o empeora, pida ayuda ya.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-glasstest-title = La prueba del vaso
card-glasstest-keywords = prueba vaso vidrio cristal presionar apretar desaparecen sarpullido manchas puntos

card-darkskin =
    ✋🏾 Manchas en la piel oscura

    En la piel morena o negra, un sarpullido puede ser difícil de ver.
    Busque manchas en las zonas más claras:
    • las palmas de las manos
    • las plantas de los pies
    • el interior de los párpados
    • el paladar
    • la barriga
    Haga ahí también la prueba del vaso.

    Mire también los labios y la lengua. Si están pálidos, azulados o grises, puede ser señal de sepsis. Llame al número de emergencias.

    No espere a que salga un sarpullido. Si alguien está muy enfermo, pida ayuda ya.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-darkskin-title = Manchas en piel oscura
card-darkskin-keywords = piel oscura negra morena palmas plantas parpados párpados paladar labios lengua manchas

card-redflags =
    🚨 Señales de alarma de meningitis y sepsis

    Meningitis:
    • fiebre, dolor de cabeza, cuello rígido
    • la luz fuerte le duele en los ojos
    • mucho sueño, difícil de despertar o confusión
    • una convulsión (ataque)
    • manchas que no desaparecen bajo el vaso
    Sepsis:
    • respiración muy rápida
    • manos y pies fríos
    • piel con parches de color, pálida, azulada o gris
    • confusión o habla arrastrada
    • no orinar en todo el día
    • en un bebé: llanto débil o muy agudo
    • la sensación de que algo va muy mal

    ¿Alguna de estas señales? Llame ya al número de emergencias. No espere a que salgan manchas.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-redflags-title = Señales de meningitis y sepsis
card-redflags-keywords = señales senales alarma meningitis sepsis fiebre cuello rigido rígido urgencia sintomas síntomas

card-causes =
    🧴 Causas frecuentes y leves

    Muchas manchas rojas no son graves, por ejemplo:
    • el sarpullido por calor
    • el roce o la presión de ropa ajustada o de correas
    • un jabón, una crema o un detergente nuevos (dermatitis de contacto)
    • el esfuerzo: toser fuerte, vomitar o llorar puede dejar manchitas en la cara y el cuello
    Suelen irse en pocos días.

    Aun así, haga la prueba del vaso.
    • Manchas que no desaparecen, con fiebre: emergencia.
    • Manchas que no desaparecen en un niño: pida ayuda ya. ¿Solo en la cara y el cuello tras un esfuerzo? Consulte hoy a un médico.
    • ¿No mejoran en unos días? Consulte a un médico.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-causes-title = Causas frecuentes y leves
card-causes-keywords = causas leves calor sarpullido salpullido roce presion presión jabon jabón crema dermatitis tos vomito vómito

card-serious =
    🩺 Causas graves de manchas rojas

    Algunas manchas rojas se deben a:
    • infecciones: meningococo, sepsis, escarlatina, fiebre manchada de las Montañas Rocosas (garrapatas), endocarditis (infección del corazón)
    • problemas de la sangre o de la coagulación, como plaquetas bajas (PTI)
    • medicinas que hacen la sangre más líquida (warfarina, aspirina)
    • leucemia y otros cánceres de la sangre
    • falta de vitamina C o K

    Las manchas por sí solas no significan cáncer: el cáncer suele dar también otras señales.
    Si las manchas no desaparecen bajo el vaso, siempre debe verlas un médico.
    No deje una medicina sin consultar a su médico.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-serious-title = Causas graves de manchas
card-serious-keywords = causas graves infeccion infección plaquetas pti warfarina aspirina leucemia cancer cáncer vitamina sangre

card-risk =
    👥 ¿Quién tiene más riesgo de sepsis?

    Cualquiera puede tener sepsis. El riesgo es mayor en:
    • bebés menores de 1 año
    • personas de 65 años o más
    • personas frágiles
    • personas con diabetes
    • personas con defensas bajas o en quimioterapia
    • embarazadas o mujeres que acaban de dar a luz
    • personas operadas hace poco o con una enfermedad grave reciente

    En estos grupos, pida pronto consejo médico si hay fiebre o manchas nuevas.
    Con defensas bajas o quimioterapia, la fiebre es una emergencia.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-risk-title = Más riesgo de sepsis
card-risk-keywords = riesgo sepsis bebe bebé mayores diabetes defensas quimioterapia embarazo embarazada cirugia cirugía

card-gethelp =
    📞 Cuándo pedir ayuda

    Llame ya al número de emergencias si hay:
    • manchas que no desaparecen bajo el vaso, con fiebre
    • manchas que no desaparecen en un niño o un bebé
    • cualquier señal de alarma de meningitis o sepsis
    Llame hoy a un médico si hay:
    • manchas que no desaparecen en un adulto que se encuentra bien
    • sangrados o moretones raros
    • señales de escarlatina: dolor de garganta, fiebre y un sarpullido áspero como papel de lija
    Consulte a un médico en unos días si:
    • un sarpullido que desaparece con el vaso no mejora en unos días

    Confíe en su instinto. Si le preocupa, pida ayuda de todos modos.

    Información general, no es un diagnóstico.
    ¿Le preocupa alguien ahora? Toque el botón de abajo para revisar en privado.

card-gethelp-title = Cuándo pedir ayuda
card-gethelp-keywords = ayuda cuando cuándo medico médico urgencia emergencia ambulancia llamar hospital hoy


## Alrededor de las fichas

card-sources = Fuentes: { $sources }

bot-group-intro =
    Aquí SpotCheck publica fichas breves sobre manchas rojas en la piel, la prueba del vaso y las señales de alarma.
    Las revisiones personales se hacen solo en un chat privado con el bot, nunca aquí.
    Escriba /learn para ver las fichas.

bot-learn-menu = Elija una ficha para publicarla aquí:

cmd-learn = Fichas breves: prueba del vaso, señales de alarma, causas

### SpotCheck chat texts in Spanish (Telegram and the terminal chat), "usted" to the reader as in
### cards.ftl.
### Machine-assisted translation of en/bot.ftl: awaiting review by a native-speaking clinician
### (see ../REVIEW.md). Same ids and variables as English.
###
### None of these may start with a triage sign: only the advice-* messages do.
### Plain text: no HTML, no Markdown. The commands (/check, /cancel ...) and the terminal keys
### b and q stay as they are: the program does not translate them.


## Telegram messages

bot-welcome =
    Hola, soy SpotCheck.

    Le ayudo a revisar manchas pequeñas rojas o moradas en la piel, como las petequias (puntitos rojos o morados diminutos). Le guío paso a paso con la prueba del vaso y las señales de alarma, un toque cada vez.

    No soy médico y no puedo dar un diagnóstico. En una emergencia, no espere. Llame ahora mismo: { $emergency_numbers }.

    Toque el botón de abajo para empezar.

bot-help =
    Cómo funciona SpotCheck: le hago preguntas cortas y usted toca una respuesta. Al final, le digo qué hacer y con qué rapidez.

    Comandos:
    /check - empezar una revisión nueva
    /cancel - parar la revisión
    /restart - volver a empezar desde la primera pregunta
    /privacy - qué guarda SpotCheck
    /forget - borrar todo lo guardado de este chat
    /help - ver este mensaje

    Botones:
    ⬅ Cambiar última respuesta - volver una pregunta atrás
    Cancelar - parar la revisión

    Si en algún momento tiene dudas, no espere a SpotCheck. Llame a su médico, a una línea de enfermería o al número de emergencias de su país.

bot-privacy =
    Lo que SpotCheck guarda de este chat, y durante cuánto tiempo:

    • Las respuestas de su revisión. Le permiten seguir si el bot se reinicia, y compartir el resumen después del consejo. Se borran { $ttl_hours ->
        [one] { $ttl_hours } hora
       *[other] { $ttl_hours } horas
    } después de su última respuesta, como máximo.
    • Un recordatorio que usted pidió guarda las respuestas que necesita hasta que se envía. Si no se puede enviar, se borra { $ttl_hours ->
        [one] { $ttl_hours } hora
       *[other] { $ttl_hours } horas
    } después de su hora. /reminders los muestra y los cancela.
    • El idioma y el país que eligió, hasta que envíe /forget.
    • Nada más: ni su nombre ni su número. No se comparte nada con nadie, y no se usa para nada más.

    /forget lo borra todo ahora.

    Los mensajes de este chat los guarda Telegram, no SpotCheck, hasta que usted los borre. Para borrar uno, manténgalo pulsado (o haga clic derecho) y elija Eliminar. Para borrarlos todos, elimine este chat de su lista de chats.

bot-forgotten = Hecho. Se borró todo lo que SpotCheck guardaba de este chat.
bot-forget-failed = Perdone, ahora no pude borrar sus datos, así que no se borró nada. Envíe /forget de nuevo en un minuto.

bot-cancelled = La revisión se paró. Escriba /check para empezar de nuevo.

bot-progress = Pregunta { $current } de unas { $total }

bot-answered =
    { $question }

    ✓ { $answer }

bot-nudge =
    Perdone, no entendí eso. Toque uno de los botones, por favor.

    También puede escribir sí, no o no sé, o una edad como «2 años» u «8 meses», cuando tenga sentido.

bot-no-check = Ahora no hay ninguna revisión en marcha. Escriba /check para empezar una.

bot-stale-button = Ese botón es de una pregunta anterior o de una revisión terminada, así que no se cambió nada.

bot-state-reset = Perdone, SpotCheck se actualizó y no pudo seguir con su revisión. Empecemos de nuevo.

bot-storage-unavailable = Perdone, ahora no pude guardar ni leer su revisión. No se ha perdido nada. Vuelva a intentarlo en un minuto. Si está preocupado, no espere: pida ayuda ya.
bot-advice-unsaved = No pude guardar esta revisión, así que los botones bajo el consejo ya no están. El consejo de arriba sigue siendo válido: sígalo.
bot-reminders-unavailable = Perdone, ahora no pude acceder a sus recordatorios. Vuelva a intentarlo en un minuto y escriba /reminders para ver cuáles tiene.
bot-choice-unsaved = Perdone, ahora no pude guardar esa elección. Vuelva a intentarlo en un minuto.
bot-button-failed = Lo siento, eso no funcionó ahora. Inténtelo de nuevo en un minuto.

bot-emergency-typed = Lo que escribió parece una emergencia. Por eso, aquí tiene ya el consejo de emergencia.

bot-summary =
    Resumen de SpotCheck para un médico o una enfermera

    Estas son las respuestas dadas en SpotCheck. Esto no es un diagnóstico.

    { $answers }

    { $outcome }

bot-summary-outcome-emergency = Consejo de SpotCheck: atención de emergencia ahora
bot-summary-outcome-urgent = Consejo de SpotCheck: consejo médico hoy
bot-summary-outcome-routine = Consejo de SpotCheck: una cita normal en los próximos días
bot-summary-outcome-self_care = Consejo de SpotCheck: cuidados en casa, vigilando las señales de alarma

bot-glass-caption =
    Cómo leer la imagen: apriete con fuerza el lado de un vaso de vidrio transparente sobre las manchas y mire a través del vaso.

    Izquierda (azul): las manchas desaparecen bajo el vaso. Si la persona se ve muy mal, pida ayuda de todos modos.

    Derecha (rojo): todavía se ven las manchas a través del vaso. Esto puede ser grave. Si hay fiebre, o si es un niño, pida ayuda de emergencia ya.

    Fila de arriba: piel clara. Fila de abajo: piel oscura. En la piel oscura, las manchas pueden ser difíciles de ver. Mire las zonas más claras: las palmas de las manos, las plantas de los pies, el interior de los párpados, el paladar y la barriga.

    Al principio las manchas pueden desaparecer. Siga apretando y mire bien.

bot-group-only-private = Para que sus respuestas sean privadas, SpotCheck solo hace revisiones en un chat privado. Toque el botón de abajo para empezar una allí.


## Buttons

btn-start-check = Empezar la revisión
btn-back = ⬅ Cambiar última respuesta
btn-cancel = Cancelar
btn-start-again = Empezar de nuevo
btn-share-summary = Resumen para un médico
btn-glass-picture = Ver cómo se hace (imagen)
btn-check-privately = Revisar en un chat privado


## Command descriptions (the Telegram command menu)

cmd-check = Empezar una revisión nueva de las manchas
cmd-help = Cómo funciona SpotCheck
cmd-privacy = Qué guarda SpotCheck sobre usted
cmd-forget = Borrar todo lo guardado de este chat


## Terminal chat

chat-intro =
    SpotCheck le ayuda a decidir qué hacer con manchas pequeñas rojas o moradas en la piel. No es un médico y no da un diagnóstico. En una emergencia, llame ahora mismo al número de emergencias de su país.

    Escriba el número de una respuesta y pulse Intro. Escriba b para volver atrás, o q para salir.

chat-prompt = Su respuesta (número, b = atrás, q = salir):

chat-checklist-hint = Escriba los números de todo lo que le pase (por ejemplo: 1 3), o 0 si no le pasa nada de esto.

chat-bye = Adiós. Si en algún momento le preocupa algo, pida ayuda.

# The emergency numbers shown until the person sets their country: the same numbers as English,
# with the labels translated.
emergency-numbers = 112 (Europa y muchos países), 999 (Reino Unido), 911 (Estados Unidos y Canadá) o 000 (Australia)

# Elegir el idioma y el país (/language, /country).
language-name = Español
bot-language-menu = ¿En qué idioma debe hablar SpotCheck en este chat?
bot-language-set = SpotCheck usará el español en este chat.
bot-country-menu =
    ¿Dónde está usted? Así SpotCheck dirá el número de emergencias correcto en sus consejos.

    Mientras no elija, muestra los números más comunes.
bot-country-set = Listo. En una emergencia, SpotCheck le dirá que llame en { $country } al { $number }.
bot-country-cleared = Listo. En una emergencia, SpotCheck le dará los números más comunes: { $numbers }.
bot-country-other = Otro: ver números comunes
bot-admins-only = Solo los administradores del grupo pueden cambiar esto.
bot-flood = Está enviando mensajes más rápido de lo que puedo contestar. Seguiré en unos segundos.

# Listas y duraciones, escritas como se escriben en español.
list-item = • { $item }
# Una serie de elementos ("NICE, NHS"): la lista hasta ahora y un elemento más.
list-more = { $list }, { $item }
bot-summary-answer = • { $question }: { $answer }
unit-seconds = { $amount } s
unit-minutes = { $amount } min
unit-hours = { $amount } h
unit-days = { $amount } d
duration-pair = { $larger } { $smaller }

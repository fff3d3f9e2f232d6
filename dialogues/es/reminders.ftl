### Recordatorios para repetir la prueba del vaso: se ofrecen debajo de un consejo que no es una urgencia vital.
### $delay, $late y $remaining son duraciones como "4 h" o "90 s"; $count y $number son números.

bot-reminder-offer = ⏰ Las manchas que ahora desaparecen pueden dejar de hacerlo más tarde. Toca un tiempo abajo y te recordaré repetir la prueba del vaso.

btn-remind = ⏰ { $delay }
btn-no-reminder = No, gracias

bot-reminder-set =
    ⏰ Hecho. Dentro de { $delay } te recordaré repetir la prueba del vaso. Escribe /reminders para verlo o cancelarlo.

    Si te preocupa, no esperes al recordatorio. Pide ayuda enseguida si las manchas dejan de desaparecer o si la persona empeora.

bot-reminder-limit = Ya tienes { $count } recordatorios pendientes. Es lo máximo que guardo. Escribe /reminders para verlos o cancelarlos.

bot-reminder-due =
    ⏰ Es hora de mirar las manchas otra vez.

    1. Aprieta con fuerza el lado de un vaso transparente sobre las manchas.
    2. Mira las manchas a través del vaso. En la piel oscura, mira también las zonas más claras: las palmas, las plantas de los pies, el interior de los párpados.

    ¿Qué ves ahora?

bot-reminder-late = Perdona, este recordatorio llega { $late } tarde: SpotCheck no estaba en marcha cuando tocaba.

btn-recheck-fades = Siguen desapareciendo
btn-recheck-stays = Ya no desaparecen
btn-recheck-worse = Está peor o hay síntomas nuevos

bot-recheck-worse = Vamos a repasar las preguntas otra vez, empezando por las señales de alarma.

bot-reminders-none = No tienes recordatorios pendientes.

bot-reminders-list =
    ⏰ Tus recordatorios para mirar las manchas otra vez:

    { $reminders }

bot-reminders-item = { $number }. dentro de { $remaining }
btn-cancel-reminder = Cancelar recordatorio { $number }

cmd-reminders = Ver o cancelar tus recordatorios

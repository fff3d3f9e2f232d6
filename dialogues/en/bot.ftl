### SpotCheck chat texts in English (Telegram and the terminal chat).
###
### None of these may start with a triage sign: only the advice-* messages do.
### Plain text: no HTML, no Markdown.


## Telegram messages

bot-welcome =
    Hello, I'm SpotCheck.

    I help you check small red or purple spots on the skin. I walk you through the glass test and the warning signs, one tap at a time.

    I am not a doctor, and I can't give a diagnosis. In an emergency, don't wait. Call now: { $emergency_numbers }.

    Tap the button below to start.

bot-help =
    How SpotCheck works: I ask short questions and you tap an answer. At the end, I tell you what to do and how soon.

    Commands:
    /check - start a new check
    /cancel - stop the check
    /restart - start the check again from the first question
    /privacy - what SpotCheck stores
    /forget - delete everything stored about this chat
    /help - show this message

    Buttons:
    ⬅ Change last answer - go back one question
    Cancel - stop the check

    If you are ever in doubt, don't wait for SpotCheck. Call your doctor, a nurse helpline or your local emergency number.

bot-privacy =
    What SpotCheck keeps about this chat, and for how long:

    • The answers of your check. They let you carry on if the bot restarts, and share the summary after the advice. They are deleted { $ttl_hours ->
        [one] { $ttl_hours } hour
       *[other] { $ttl_hours } hours
    } after your last answer at the latest.
    • A re-check reminder you asked for keeps the answers it needs until it is sent. If it cannot be sent, it is deleted { $ttl_hours ->
        [one] { $ttl_hours } hour
       *[other] { $ttl_hours } hours
    } after its time. /reminders shows and cancels them.
    • The language and country you chose, until you send /forget.
    • Nothing else: not your name, not your number. Nothing is shared with anyone, and nothing is used for anything else.

    /forget deletes all of it now.

    The messages in this chat are kept by Telegram, not by SpotCheck, until you delete them. To delete one, press and hold it (or right-click it) and choose Delete. To delete them all, delete this chat from your chat list.

bot-forgotten = Done. Everything SpotCheck stored about this chat has been deleted.
bot-forget-failed = Sorry, I couldn't delete your data just now, so nothing was deleted. Please send /forget again in a minute.

bot-cancelled = The check is stopped. Type /check to start again.

bot-progress = Question { $current } of about { $total }

bot-answered =
    { $question }

    ✓ { $answer }

bot-nudge =
    Sorry, I didn't understand that. Please tap one of the buttons.

    You can also type yes, no or not sure, or an age like "2 years" or "8 months", where that fits.

bot-no-check = There is no check going on right now. Type /check to start one.

bot-stale-button = That button is from an earlier question or a finished check, so nothing was changed.

bot-state-reset = Sorry, SpotCheck was updated and could not carry on with your check. Let's start again.

# Sent (and shown on the pressed button) when the storage did not answer: nothing was lost.
bot-storage-unavailable = Sorry, I couldn't save or read your check just now. Nothing is lost. Please try again in a minute. If you are worried, don't wait: get help now.
bot-advice-unsaved = I couldn't save this check, so the buttons under the advice are gone. The advice above still stands: follow it.
bot-reminders-unavailable = Sorry, I couldn't reach your reminders just now. Please try again in a minute, and type /reminders to see which ones are set.
bot-choice-unsaved = Sorry, I couldn't save that choice just now. Please try again in a minute.
bot-button-failed = Sorry, that didn't work just now. Please try again in a minute.

bot-emergency-typed = What you wrote sounds like an emergency, so here is the emergency advice straight away.

bot-summary =
    SpotCheck summary for a doctor or nurse

    These are the answers given in SpotCheck. This is not a diagnosis.

    { $answers }

    { $outcome }

bot-summary-outcome-emergency = SpotCheck advised: emergency care now
bot-summary-outcome-urgent = SpotCheck advised: medical advice today
bot-summary-outcome-routine = SpotCheck advised: a normal appointment within a few days
bot-summary-outcome-self_care = SpotCheck advised: care at home, with signs to watch for

bot-glass-caption =
    How to read the picture: press the side of a clear glass firmly on the spots and look through it.

    Left (blue): the spots fade under the glass. If the person seems very unwell, get help anyway.

    Right (red): you can still see the spots through the glass. This can be serious. With a fever, or in a child, get emergency help now.

    Top row: lighter skin. Bottom row: darker skin. On darker skin, spots can be hard to see. Check paler areas: the palms, the soles, inside the eyelids, the roof of the mouth and the tummy.

    Spots may fade at first, so look carefully.

bot-group-only-private = To keep your answers private, SpotCheck only does checks in a private chat. Tap the button below to start one there.


## Buttons

btn-start-check = Start the check
btn-back = ⬅ Change last answer
btn-cancel = Cancel
btn-start-again = Start again
btn-share-summary = Summary for a doctor
btn-glass-picture = Show me how (picture)
btn-check-privately = Check in a private chat


## Command descriptions (the Telegram command menu)

cmd-check = Start a new spot check
cmd-help = How SpotCheck works
cmd-privacy = What SpotCheck stores about you
cmd-forget = Delete everything stored about this chat


## Terminal chat

chat-intro =
    SpotCheck helps you decide what to do about small red or purple spots on the skin. It is not a doctor and not a diagnosis. In an emergency, call your local emergency number now.

    Type the number of an answer and press Enter. Type b to go back, or q to quit.

chat-prompt = Your answer (number, b = back, q = quit):

chat-checklist-hint = Type the numbers of all that apply (for example: 1 3), or 0 for none of these.

chat-bye = Goodbye. If you are worried at any time, call for help.

# The emergency numbers shown until the person sets their country. Checked against each country's
# official information; see dialogues/emergency-numbers.toml.
emergency-numbers = 112 (Europe and many countries), 999 (UK), 911 (USA and Canada) or 000 (Australia)

# Choosing the language and the country (/language, /country).
language-name = English
bot-language-menu = Which language should SpotCheck use in this chat?
bot-language-set = SpotCheck will now use English in this chat.
bot-country-menu =
    Where are you? SpotCheck will then name the right emergency number in its advice.

    Until you choose, it shows the common numbers.
bot-country-set = Done. In an emergency, SpotCheck will tell you to call { $country }: { $number }.
bot-country-cleared = Done. In an emergency, SpotCheck will give the common numbers: { $numbers }.
bot-country-other = Other: show common numbers
bot-admins-only = Only the group's admins can change this.
bot-flood = You're sending messages faster than I can answer. I'll carry on in a few seconds.

# Lists and durations, in this language's own way of writing them.
list-item = • { $item }
# A run of items ("NICE, NHS"): the list so far, then one more item.
list-more = { $list }, { $item }
bot-summary-answer = • { $question }: { $answer }
unit-seconds = { $amount } s
unit-minutes = { $amount } min
unit-hours = { $amount } h
unit-days = { $amount } d
duration-pair = { $larger } { $smaller }

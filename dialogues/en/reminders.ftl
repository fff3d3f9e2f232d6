### Re-check reminders: offered below advice that is not an emergency, and the re-check they send.
### $delay, $late and $remaining are durations such as "4 h" or "90 s"; $count and $number are numbers.

bot-reminder-offer = ⏰ Spots that fade now can stop fading later. Tap a time below, and I will remind you to do the glass test again.

btn-remind = ⏰ { $delay }
btn-no-reminder = No thanks

bot-reminder-set =
    ⏰ Done. In { $delay } I will remind you to do the glass test again. Type /reminders to see or cancel it.

    Do not wait for the reminder if you are worried. Get help at once if the spots stop fading, or if the person gets worse.

bot-reminder-limit = You already have { $count } reminders waiting. That is the most I keep. Type /reminders to see or cancel them.

bot-reminder-due =
    ⏰ Time to check the spots again.

    1. Press the side of a clear glass firmly on the spots.
    2. Look at the spots through the glass. On darker skin, also look at paler places: the palms, the soles, inside the eyelids.

    What do you see now?

bot-reminder-late = Sorry, this reminder comes { $late } late: SpotCheck was offline when it was due.

btn-recheck-fades = Spots still fade
btn-recheck-stays = Spots don't fade now
btn-recheck-worse = Feels worse or new symptoms

bot-recheck-worse = Let's go through the questions again, starting with the warning signs.

bot-reminders-none = You have no reminders waiting.

bot-reminders-list =
    ⏰ Your reminders to check the spots again:

    { $reminders }

bot-reminders-item = { $number }. in { $remaining }
btn-cancel-reminder = Cancel reminder { $number }

cmd-reminders = See or cancel your reminders

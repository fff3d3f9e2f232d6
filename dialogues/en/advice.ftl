### SpotCheck advice in English.
###
### reason-<rule id>: one short sentence naming what was found and why it matters. These are shown
### as "• ..." lines under "Why:" and returned as `reasons` by `spotcheck assess`.
### "Spots that stay" covers the glass test answers "stays", "not sure" and "not done": the rules
### treat all three alike, so the reasons say "(or were not checked)".
###
### advice-<level>: the final advice. Its first character is the level's sign and no other message
### starts with one. Variables: $reasons (bullet lines), $lines (the advice lines that fit, under their heading, or empty), $assumed (a sentence or empty),
### $sources (comma-separated names), $emergency_numbers. Plain text: no HTML, no Markdown.


## Reasons: emergency

reason-stays_with_fever = Spots that stay under a glass (or were not checked), with a fever, can be a sign of meningitis or sepsis.
reason-stays_and_spreading = Spots that stay under a glass (or were not checked) and are spreading can be a sign of meningitis or sepsis.
reason-purpura = Large, bruise-like spots that stay under a glass (or were not checked) can mean meningitis or sepsis, even with no fever.
reason-child_spots_stay = In a child, spots that stay under a glass (or were not checked) can mean a serious illness, even if the child seems well.
reason-baby_spots_stay = In a baby under 3 months, spots that stay under a glass (or were not checked) can mean a serious illness.
reason-baby_fever = A fever of 38°C (100.4°F) or more in a baby under 3 months can be a sign of a serious infection.
reason-drowsy_or_confused = Being very sleepy, hard to wake or confused can be a sign of meningitis or sepsis.
reason-seizure = A fit (seizure) always needs emergency help, and it can be a sign of a serious infection.
reason-fast_breathing = Very fast or difficult breathing, or a racing heart, can be a sign of sepsis.
reason-mottled_or_cold = Cold hands and feet, or blotchy, pale, blue or grey skin, can be a sign of sepsis.
reason-weak_cry = A weak, high-pitched or non-stop cry in a baby can be a sign of serious illness.
reason-fever_stiff_neck = A fever with a stiff neck can be a sign of meningitis.
reason-fever_headache_light = A fever with a headache and eyes that are hurt by bright light can be a sign of meningitis.
reason-stiff_neck_meningitis_signs = A stiff neck with a headache, being sick, or eyes hurt by bright light can be a sign of meningitis or of bleeding around the brain, even with no fever.
reason-young_child_stiff_neck = A stiff neck in a child under 5 can be a sign of meningitis.
reason-stays_with_meningitis_signs = Spots that stay under a glass (or were not checked), with a headache, stiff neck or eyes hurt by light, can be a sign of meningitis.
reason-child_very_unwell = A child who seems very unwell needs help now, even if the spots fade, because early meningitis spots can fade.
reason-stays_and_very_unwell = Spots that stay under a glass (or were not checked) in someone who is very unwell can mean sepsis or meningitis.
reason-fever_weak_immunity = With a weak immune system, a fever can quickly turn into a very serious infection.
reason-serious_bleeding = Bleeding that won't stop, or blood in vomit, cough, pee or poo, can mean serious bleeding inside the body.
reason-blood_thinner_headache = A headache while taking a blood thinner can be a sign of bleeding inside the head.


## Reasons: urgent

reason-adult_spots_stay = In an adult, spots that stay under a glass (or were not checked) can mean a blood problem, so a doctor should check today.
reason-child_spots_stay_explained = In a child, spots that stay under a glass need a doctor today, even when there seems to be a clear cause.
reason-unusual_bleeding = Nosebleeds, bleeding gums or easy bruising with the spots can mean a problem with how the blood clots.
reason-pregnant_spots_stay = During pregnancy or soon after giving birth, spots that stay under a glass (or were not checked) need a check today.
reason-pregnant_new_rash = In pregnancy, any new rash needs a check today, even one that fades, because some infections that cause a rash can harm the baby.
reason-weak_immunity_new_rash = With a weak immune system, any new rash needs a check today, even one that fades: infections like chickenpox can get serious, and treatment works best early.
reason-infant_fever = A fever in a baby under 1 year needs a check today, because babies can get very ill quickly.
reason-feels_very_unwell = Feeling very unwell, or feeling that something is badly wrong, can be an early sign of sepsis.
reason-keeps_vomiting = Being sick again and again can dry the body out, and it can be a sign of infection.
reason-fever_with_lasting_rash = A fever with spots that have lasted more than 3 days should be checked by a doctor today.
reason-scarlet_fever = A sore throat with a rough, sandpaper rash or a red "strawberry" tongue may be scarlet fever, which needs treatment.
reason-fever_higher_risk = A fever in pregnancy, soon after a birth, or with a long-term illness makes sepsis more likely.
reason-fever_older_adult = A fever at age 65 or over carries a higher risk of sepsis.
reason-fever_after_tick_or_travel = A fever after a tick bite or travel abroad can be an infection that needs treatment soon.


## Reasons: routine

reason-fading_rash_lasting = A rash that fades under a glass but has lasted more than 3 days should be checked by a doctor.
reason-baby_fading_rash = A baby under 1 with a new rash is best checked by a doctor, even when the rash fades under a glass.
reason-tick_or_travel = A rash after a tick bite or travel abroad should be checked, because some infections spread this way.


## Reasons: self-care

reason-fading_rash = Spots that fade under a glass are most often harmless if the person is well in other ways.
reason-fever_fading_rash = A fever with a rash that fades under a glass is most often a common virus, if they are otherwise well.
reason-spots_after_strain = Spots only above the nipples after a hard cough, vomiting or straining often come from the strain.
reason-spots_at_friction_site = Spots only where something pressed, rubbed or hit the skin usually come from that pressure and fade in a few days.


## Not sure

advice-assumed = You were not sure about { $facts }, so SpotCheck took the more serious answer to be safe.


## Advice lines: what fits the answers (protocol.toml, [[advice_line]])

line-oncology_line = On cancer treatment: call your 24-hour oncology (cancer care) line now, if you have one. They know the treatment and will tell you where to go. If you have none, or no one answers at once, call the ambulance.
line-heat = If heat or sweating brought it on: keep them cool, in loose, light clothes.
line-new_product = If a new soap, cream or washing powder brought it on: stop using it.
line-pressure = Keep whatever pressed or rubbed the skin, like a tight strap or band, off the spots while they fade.
line-child_fever = For a fever in a child: give plenty to drink. You can give paracetamol or ibuprofen as the pack says.
line-adult_fever = For a fever: drink plenty and rest. You can take paracetamol or ibuprofen as the pack says.

advice-lines-emergency = { $lines }
advice-lines-routine =
    Until then:
    { $lines }
advice-lines-self_care =
    How to help at home:
    { $lines }

## Advice

advice-emergency =
    🔴 Call an ambulance now ({ $emergency_numbers }), or go straight to the nearest hospital emergency department.

    Do not wait for more spots to appear. Do not wait for a fever to come down.

    { $lines }

    Why:
    { $reasons }
    { $assumed }

    What to tell them: "I'm worried about meningitis or sepsis." If the spots stay under a glass, say that too.

    While you wait or travel:
    • Bring the medicines they take, or a list of them.
    • If it is a baby, keep feeding them if they can feed.
    • Stay with them and watch them closely.

    If they get worse while you wait, call again at once. For example: harder to wake, a fit, trouble breathing, or skin turning blotchy, pale, blue or grey.

    On darker skin, look at the lips, tongue, palms and soles for a blue, grey or pale colour. Check for spots on the palms, soles, inside the eyelids and the roof of the mouth.

    Trust your instincts. You are right to get help.

    Sources: { $sources }

    This is not a diagnosis. It is based only on the answers you gave.

advice-urgent =
    🟠 Get medical advice today, right now: call your doctor, an urgent care service or a nurse helpline (NHS 111 in the UK).

    If you can't reach anyone within a few hours, go to an urgent care centre.

    An adult with spots that stay under a glass may need a blood test (a full blood count) within 48 hours.

    Why:
    { $reasons }
    { $assumed }

    Call an ambulance at once ({ $emergency_numbers }) if any of these happen:
    • spots that faded stop fading under the glass, or the spots spread
    • a new fever, or a fever with spots that stay under the glass
    • very sleepy, hard to wake or confused
    • fast or difficult breathing
    • cold hands and feet
    • blotchy, pale, blue or grey skin
    • a stiff neck, or bright light hurts their eyes
    • a fit (seizure)
    • a baby with a weak, high-pitched cry

    Until they are seen, do the glass test again every few hours, and during the night too. Spots that fade now can stop fading later.

    On darker skin, check for spots on the palms, soles, inside the eyelids, the roof of the mouth and the tummy. Look at the lips and tongue for a blue, grey or pale colour.

    Trust your instincts. If you are still worried, get help anyway.

    Sources: { $sources }

    This is not a diagnosis. It is based only on the answers you gave.

advice-routine =
    🟡 Book a normal appointment with a doctor in the next few days. This does not need to be today.

    Why:
    { $reasons }
    { $assumed }

    { $lines }

    Call an ambulance at once ({ $emergency_numbers }) if any of these happen:
    • the spots stop fading under the glass, or they spread
    • a new fever, or a fever with spots that stay under the glass
    • very sleepy, hard to wake or confused
    • fast or difficult breathing
    • cold hands and feet
    • blotchy, pale, blue or grey skin
    • a stiff neck, or bright light hurts their eyes
    • a fit (seizure)
    • a baby with a weak, high-pitched cry

    Get advice today (your doctor, or NHS 111 in the UK) if they get worse in another way, or a fever goes on for more than 3 days.

    Do the glass test again every few hours, and during the night too. Spots that fade now can stop fading later.

    On darker skin, check for spots on the palms, soles, inside the eyelids, the roof of the mouth and the tummy. Look at the lips and tongue for a blue, grey or pale colour.

    Trust your instincts. If you are still worried, get help anyway.

    Sources: { $sources }

    This is not a diagnosis. It is based only on the answers you gave.

advice-self_care =
    🟢 You can look after this at home for now. Keep checking, and get help if anything changes.

    Why:
    { $reasons }
    { $assumed }

    { $lines }

    Call an ambulance at once ({ $emergency_numbers }) if any of these happen:
    • the spots stop fading under the glass, or they spread
    • a new fever, or a fever with spots that stay under the glass
    • very sleepy, hard to wake or confused
    • fast or difficult breathing
    • cold hands and feet
    • blotchy, pale, blue or grey skin
    • a stiff neck, or bright light hurts their eyes
    • a fit (seizure)
    • a baby with a weak, high-pitched cry

    Contact your doctor today if new spots appear somewhere else, if the spots are still there after 3 days, or if a fever goes on for more than 3 days.

    Do the glass test again every few hours, and during the night too. Spots that fade now can stop fading later.

    On darker skin, check for spots on the palms, soles, inside the eyelids, the roof of the mouth and the tummy. Look at the lips and tongue for a blue, grey or pale colour.

    Trust your instincts. If you are still worried, get help anyway.

    Sources: { $sources }

    This is not a diagnosis. It is based only on the answers you gave.


### SpotCheck questions in English.
###
### q-<question id>: the question, sent as one Telegram message with answer buttons.
### short-<question id>: a 1-4 word label for the summary a parent can send to a doctor.
### opt-...: answer button labels (about 30 characters at most).
### fact-<fact key>: a few words naming a fact, used in "you were not sure about ...".
###
### Write for a frightened parent at 2 a.m.: short sentences, common words.
### "They" means the person with the spots: a child, someone else, or the reader.

## Questions

q-red_flags =
    Let's start with the warning signs. "They" means the person with the spots: your child, someone else, or you.

    Is any of these happening now? Tap each one that is, then tap Done.

    • Very sleepy, hard to wake, or confused
    • A fit (seizure)
    • Breathing very fast or struggling to breathe, or a racing heart
    • Cold hands and feet, or blotchy, pale, blue or grey skin. On darker skin, look at the lips, tongue, palms and soles.
    • They seem very unwell, or you feel that something is badly wrong. Trust your feeling: you know them best.
    • A stiff or painful neck: it hurts to bend the head forward and touch the chin to the chest.
    • A headache. If they are too young to tell you, answer from how they seem.
    • Bright light bothers them or hurts their eyes: they turn away from it or keep their eyes shut.

    If one of the first four is happening, tap it: the advice comes at once.

q-age = How old are they?

q-baby_cry =
    Is the baby's cry weak, high-pitched or non-stop?

    Tap Yes if it sounds very different from their usual cry.

q-fever =
    Have they had a fever in the last day?

    That means a temperature of 38°C (100.4°F) or more, or feeling hot and shivery. Count it even if medicine has brought it down.

q-glass_test =
    Now do the glass test. It takes a few seconds.

    1. Press the side of a clear drinking glass firmly on the spots.
    2. Look at the spots through the glass.
    3. Spots may fade at first. Keep pressing and look carefully.

    On darker skin, spots can be hard to see. Check lighter areas too: the palms, the soles of the feet, inside the eyelids, the roof of the mouth and the tummy.

    Do the spots fade under the glass, or can you still see them?

    If you can't do the test right now, tap "Can't do it now".

q-spots =
    About the spots: do any of these apply? Tap each one that does, then tap Done.

    • They are spreading, or new spots are appearing fast.
    • They are only on the face, neck and upper chest, above the nipples (none lower down, on the tummy or legs).
    • Just before they appeared, the person coughed, vomited, strained or cried very hard.
    • They are only where something pressed, rubbed or hit the skin: under a tight strap or elastic, a blood pressure cuff, or around a graze.

q-spot_size =
    How big are the spots?

    Pinpoint: tiny dots, like pinpricks, smaller than 2 mm.
    Larger: bigger patches that look like bruises.

    If there are both, choose the larger ones.

q-serious_bleeding =
    Is any of these happening?

    • Bleeding that won't stop
    • Coughing up blood or vomiting blood
    • Blood in their pee
    • Black poo, or blood in their poo

q-immune =
    Is their immune system weakened by an illness or a medicine?

    For example chemotherapy (cancer treatment), high-dose steroids, or medicines after an organ transplant.

q-more =
    Do any of these apply? Tap each one that does, then tap Done.

    • Unusual bleeding or bruising: nosebleeds, bleeding gums, coughing or vomiting blood, blood in pee or poo, or bruises that come very easily.
    • A medicine that thins the blood, such as warfarin, apixaban, rivaroxaban, clopidogrel or a daily aspirin.
    • A long-term illness, such as diabetes, liver disease, lupus, cancer, or a weak immune system.
    • Being sick (vomiting) again and again.
    • A sore throat with a rough rash that feels like sandpaper, or a red, bumpy "strawberry" tongue.
    • A tick bite or travel abroad in the last few weeks. A tick is a tiny biting bug that lives in long grass and woods.
    • The rash came after heat or sweating, or after a new soap, cream or washing powder.
    • Pregnant, or gave birth in the last 6 weeks.

q-days = How long ago did the spots first appear?

## Short labels for the summary

short-red_flags = Warning signs
short-age = Age
short-baby_cry = Weak or high cry
short-fever = Fever
short-glass_test = Glass test
short-spots = About the spots
short-spot_size = Spot size
short-serious_bleeding = Serious bleeding
short-immune = Weak immune system
short-more = Other findings
short-days = Spots for how long

## Answer buttons

opt-yes = Yes
opt-no = No
opt-unsure = Not sure
tick-drowsy_or_confused = Very sleepy or confused
tick-seizure = A fit (seizure)
tick-fast_breathing_or_heart = Very fast breathing or heart
tick-cold_hands_feet_or_mottled = Cold hands, blotchy skin
tick-unusual_bleeding = Unusual bleeding or bruising
tick-takes_blood_thinner = Takes a blood thinner
tick-chronic_condition = Long-term illness
tick-vomiting = Sick again and again
tick-scarlet_fever_signs = Sandpaper rash or strawberry tongue
tick-tick_bite_or_travel = Tick bite or travel abroad
tick-heat_or_new_skin_product = After heat or a new product
tick-pregnant = Pregnant or recent birth
opt-checklist-done = Done
opt-checklist-none = None of these
opt-checklist-unsure = Not sure about some
btn-item-ticked = ✅ { $item }
btn-item-unticked = ▫️ { $item }
tick-spreading = Spreading
tick-rash_only_above_nipple_line = Only above the nipples
tick-recent_strain = After a hard cough or strain
tick-recent_injury_or_friction_at_site = Only where something pressed
tick-feels_very_unwell = Very unwell
tick-stiff_neck = Stiff or painful neck
tick-headache = Headache
tick-light_sensitivity = Bright light hurts

opt-age_years-under_3m = Under 3 months
opt-age_years-3_to_11m = 3 to 11 months
opt-age_years-1_to_4y = 1 to 4 years
opt-age_years-5_to_15y = 5 to 15 years
opt-age_years-16_to_64y = 16 to 64 years
opt-age_years-65_plus = 65 or older

opt-days_present-under_1d = Less than a day
opt-days_present-1_to_3d = 1 to 3 days
opt-days_present-over_3d = More than 3 days

opt-blanching-fades = They fade under the glass
opt-blanching-stays = I can still see them
opt-blanching-unsure = Not sure
opt-blanching-not_done = Can't do it now

opt-spot_size-pinpoint = Tiny pinpoint dots
opt-spot_size-larger_bruise_like = Larger, like bruises

## Facts, for "you were not sure about ..."

fact-age_years = age
fact-days_present = how long the spots have been there
fact-blanching = the glass test
fact-spot_size = the size of the spots
fact-spreading = whether the spots are spreading
fact-itchy = itching
fact-fever = a fever
fact-scarlet_fever_signs = signs of scarlet fever
fact-feels_very_unwell = feeling very unwell
fact-headache = a headache
fact-stiff_neck = a stiff neck
fact-light_sensitivity = bright light hurting the eyes
fact-drowsy_or_confused = sleepiness or confusion
fact-fast_breathing_or_heart = fast breathing or a racing heart
fact-cold_hands_feet_or_mottled = cold hands and feet or skin colour
fact-vomiting = vomiting
fact-seizure = a fit (seizure)
fact-unusual_bleeding = unusual bleeding or bruising
fact-recent_strain = hard coughing, vomiting or straining
fact-rash_only_above_nipple_line = where the spots are
fact-recent_injury_or_friction_at_site = pressure or rubbing on the skin
fact-heat_or_new_skin_product = heat or a new skin product
fact-takes_blood_thinner = blood-thinning medicine
fact-recent_infection = a recent infection
fact-chronic_condition = a long-term illness
fact-pregnant = pregnancy
fact-tick_bite_or_travel = a tick bite or travel
fact-weak_high_pitched_cry = the baby's cry
fact-serious_bleeding_sign = serious bleeding
fact-immunocompromised = a weak immune system

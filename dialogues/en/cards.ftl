### SpotCheck education cards in English, for group chats, channels and inline mode.
###
### card-<id>: the card, for the ids in dialogues/cards.toml. A title line with one emoji (never a
### triage sign), then short lines. The glasstest card is a photo caption. The code adds the
### button to the private check and the sources line (card-sources) where it shows them.
### card-<id>-title: 2 to 5 words, no emoji (menu buttons, inline titles, command descriptions).
### card-<id>-keywords: lowercase words people may type in inline mode.
### Cards never ask about anyone's own health: personal checks happen only in a private chat.
### Plain text: no HTML, no Markdown.


## Cards

card-petechiae =
    🔍 What are petechiae?

    Petechiae are tiny spots on the skin, less than 2 mm across, like pinpricks.
    • They can be red, purple or brown.
    • They come from tiny bleeds under the skin.
    • So they do not fade when you press on them.
    Larger spots that look like bruises are called purpura.

    Most red spots are harmless. But spots that do not fade can be a sign of a serious illness, such as meningitis, sepsis or a blood problem.
    Check new spots with the glass test. Spots that stay, with a fever, are an emergency.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-petechiae-title = What are petechiae?
card-petechiae-keywords = petechiae spots dots pinprick red purple brown tiny rash bleeding purpura

card-glasstest =
    🥛 The glass test

    1. Press the side of a clear glass firmly on the spots.
    2. Look at the spots through the glass.

    • The spots stay, with a fever: this is an emergency. Call your local emergency number now.
    • The spots stay in a child, even with no fever: get help now.
    • The spots stay in an adult who seems well: call a doctor today.
    • The spots fade: often harmless. But get help if the person seems very ill.

    Spots may fade at first. Keep checking, and do the test again every few hours.
    Do not wait for a rash. If someone is very ill or getting worse, get help now.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-glasstest-title = The glass test
card-glasstest-keywords = glass test tumbler press fade blanch rash spots check clear

card-darkskin =
    ✋🏾 Spots on darker skin

    On brown or black skin, a rash can be hard to see.
    Look for spots on paler places:
    • the palms of the hands
    • the soles of the feet
    • inside the eyelids
    • the roof of the mouth
    • the tummy
    Do the glass test there too.

    Look at the lips and tongue as well. Pale, blue or grey lips or tongue can be a sign of sepsis. Call your local emergency number.

    Do not wait for a rash. If someone is very ill, get help now.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-darkskin-title = Spots on darker skin
card-darkskin-keywords = dark darker black brown skin tone palms soles eyelids mouth lips tongue rash

card-redflags =
    🚨 Warning signs of meningitis and sepsis

    Meningitis:
    • fever, headache, stiff neck
    • bright light hurts the eyes
    • very sleepy, hard to wake or confused
    • a fit (seizure)
    • a rash that does not fade under a glass
    Sepsis:
    • very fast breathing
    • cold hands and feet
    • blotchy, pale, blue or grey skin
    • confused or slurred speech
    • no pee all day
    • in a baby: a weak or high-pitched cry
    • a feeling that something is very wrong

    Any of these? Call your local emergency number now. Do not wait for a rash.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-redflags-title = Meningitis and sepsis signs
card-redflags-keywords = warning signs red flags meningitis sepsis fever stiff neck headache emergency symptoms

card-causes =
    🧴 Common harmless causes

    Many red spots are harmless. For example:
    • heat rash, from getting too hot
    • rubbing or pressure from tight clothes or straps
    • a new soap, cream or washing powder (contact dermatitis)
    • straining: hard coughing, being sick or crying can leave tiny spots on the face and neck
    These spots usually go in a few days.

    Still, do the glass test on any new spots.
    • Spots that stay, with a fever, are an emergency.
    • Spots that stay in a child need help now. Only on the face and neck after straining? See a doctor today.
    • Not better after a few days? See a doctor.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-causes-title = Common harmless causes
card-causes-keywords = causes harmless heat rash friction pressure straps soap cream dermatitis cough vomiting crying

card-serious =
    🩺 Serious causes of red spots

    Some red spots come from:
    • infections: meningococcal disease, sepsis, scarlet fever, Rocky Mountain spotted fever (from ticks), endocarditis (a heart infection)
    • blood and clotting problems, such as low platelets (ITP)
    • medicines that thin the blood, such as warfarin and aspirin
    • leukaemia and other blood cancers
    • too little vitamin C or vitamin K

    Spots alone do not mean cancer. Most people with cancer have other signs too.
    Spots that stay under a glass always need a doctor.
    Do not stop a medicine on your own. Ask your doctor first.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-serious-title = Serious causes of red spots
card-serious-keywords = serious causes infection meningococcal blood platelets itp warfarin aspirin leukaemia leukemia cancer vitamin

card-risk =
    👥 Who is more at risk of sepsis?

    Anyone can get sepsis. The risk is higher for:
    • babies under 1 year
    • people aged 65 or over
    • people who are frail
    • people with diabetes
    • people with a weak immune system, or on chemotherapy
    • people who are pregnant or have just had a baby
    • people who recently had surgery or a serious illness

    In these groups, get medical advice quickly for a fever or new spots.
    With a weak immune system or chemotherapy, a fever is an emergency.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-risk-title = Higher risk of sepsis
card-risk-keywords = risk sepsis baby babies elderly older frail diabetes immune chemotherapy pregnant pregnancy surgery

card-gethelp =
    📞 When to get help

    Call your local emergency number now for:
    • spots that stay under a glass, with a fever
    • spots that stay in a child or baby
    • any warning sign of meningitis or sepsis
    Call a doctor today for:
    • spots that stay in an adult who seems well
    • unusual bleeding or bruising
    • signs of scarlet fever: sore throat, fever and a rough, sandpaper-like rash
    See a doctor in a few days if:
    • a rash that fades is not better after a few days

    Trust your instincts. If you are worried, get help anyway.

    General information, not a diagnosis.
    Worried about someone now? Tap the button below to check in private.

card-gethelp-title = When to get help
card-gethelp-keywords = help when doctor emergency ambulance call urgent today worried hospital number


## Around the cards

card-sources = Sources: { $sources }

bot-group-intro =
    SpotCheck posts short cards here about red spots, the glass test and warning signs.
    Personal checks happen only in a private chat with the bot, never here.
    Type /learn to see the cards.

bot-learn-menu = Pick a card to post here:

cmd-learn = Short cards: glass test, warning signs, causes

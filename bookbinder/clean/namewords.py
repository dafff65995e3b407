"""The words `people` reads names by: what is no name, and the cues of a person, a thing and a place.

Plain data, one set a line. Verbs are listed once, as their base forms; their forms (-s, -ed,
and the irregular past tenses) are made here.
"""
from __future__ import annotations

# Capitalised words that open sentences or address people but are not names.
NOT_NAMES = frozenset("""
a an the and but or nor so yet for if then than when while where what who whom whose why how which that this these
those there here it its he she they we you i me my mine your yours his her hers our ours their theirs him them us
is are was were be been being am do does did have has had will would shall should can could may might must not no
yes yeah yep nope ok okay oh ah ahh uh um hmm hey hi hello bye goodbye well just maybe perhaps sometimes still even
only also too very really now later today tomorrow yesterday tonight again once after before because since until
though although unless whether all any some every each both either neither none one two three four five six seven
eight nine ten first second third last next other another such same most more much many few little lots nothing
everything something anything someone everyone anyone nobody somebody everybody god jesus christ lord mr mrs ms
miss dr doctor sir madam dad mom mum mother father mama papa grandma grandpa monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october november december
christmas easter halloween thanksgiving english french american british chapter part prologue epilogue end
author note notes summary disclaimer title rating warning warnings pairing fandom tags please thanks thank sorry
fine good great right wrong sure of in on at to from by with without about into onto over under up down out off
through across around between behind beside beyond inside outside near like unlike as let lets don't can't won't
didn't isn't wasn't aren't weren't hasn't haven't hadn't doesn't wouldn't shouldn't couldn't i'm i've i'll i'd
you're you've you'll he's she's it's we're they're that's there's here's what's who's how's where's let's
never always ever whatever whoever however wherever whenever instead besides meanwhile anyway otherwise someday
everyday tv dvd ok usa uk except
""".split())

# Titles and words of address that come before a person's name ("Dr. Sloan", "Uncle Harry"), in
# English and the other languages the chapter headings know.
TITLES = frozenset("""mr mrs ms mx miss dr doctor prof professor sir dame lady lord captain capt commander colonel
general major lieutenant lt sergeant sgt detective inspector officer agent nurse aunt auntie uncle grandma grandpa
granny nana king queen prince princess duke duchess count countess baron baroness emperor empress master mistress
madam saint father mother sister brother reverend rev judge senator president chancellor
herr frau fräulein monsieur madame mademoiselle mme mlle señor señora señorita don doña signor signora signorina
senhor senhora dona meneer mevrouw juffrouw""".split())

# Words of speech: "…,” Mark said", "said Mark", and their kin in the other languages.
SPEECH = frozenset("""said says say asked asks replied replies answered answers whispered whispers murmured murmurs
muttered mutters mumbled mumbles shouted shouts yelled yells cried cries called calls snapped snaps hissed hisses
growled growls sighed sighs laughed laughs added adds continued continues began begins insisted insists admitted
admits explained explains agreed agrees protested protests demanded demands offered offers repeated repeats teased
teases breathed breathes groaned groans whimpered whimpers screamed screams exclaimed exclaims retorted retorts
interrupted interrupts suggested suggests promised promises warned warns told tells
sagte sagt fragte fragt antwortete antwortet rief ruft flüsterte flüstert murmelte meinte erwiderte
dit demanda demande répondit répond murmura murmure cria crie souffla lança chuchota
dijo dice preguntó pregunta respondió contestó gritó susurró murmuró
disse dice chiese chiede rispose risponde gridò sussurrò mormorò perguntou respondeu gritou sussurrou murmurou
zei zegt vroeg vraagt antwoordde riep fluisterde""".split())

# ...of which these come before the speaker too ("said Mark"); "called" and "told" before a name
# name or address it ("a band called Fleetwood Mac", "told Lexie"; see OBJECT_VERBS).
SPEECH_BEFORE = SPEECH - frozenset("""called calls told tells began begins continued continues added adds offered offers
promised promises warned warns laughed laughs agreed agrees teased teases""".split())

# Verbs only people (and people-like characters) do, base forms; the forms are made below.
# (Not the verbs a band, a star or a place does too: sing, play, write, rise, open, come, go.)
_VERB_BASES = """smile grin laugh nod sigh shrug frown wince blush scowl glare stare glance look watch walk sit lean
step reach grab pull push hold take give kiss hug touch wrap squeeze cry sob weep scream yell shout whisper murmur
mutter mumble say ask reply answer tell snap hiss growl groan moan gasp breathe swallow bite lick chuckle giggle
snort scoff huff blink wink think know feel want need hope wonder remember forget realize realise decide try wait
leave sleep wake dream eat drink kneel crouch climb jump tremble shiver pause hesitate pace hurry rush slam throw
catch cup stroke brush tuck press cling nudge poke pat rub shove slip yawn cough sniff smirk pout beam raise lift
pick hand offer accept refuse agree protest argue insist admit explain notice hear listen peer squint gape gaze
study ignore whirl jerk flinch stiffen relax nuzzle snuggle cuddle curl stumble wander join manage promise kick punch
slap drag carry bring cook cheer tilt bow salute wave point flush swear curse pray plead beg apologize apologise
text""".split()
_DOUBLED = set("nod grin snap stop slam shrug hug step drop grab trip tug pat jab sob hum pin rub slip skip tap wrap "
               "hop nip chat stab beg".split())
_IRREGULAR = """said told took gave held stood sat ran left thought knew felt saw heard woke slept ate drank
shook threw caught brought led met spoke swore bit hid drew chose drove forgot kept meant slid clung swung sought
understood""".split()


def _forms(base: str) -> set[str]:
    if base.endswith("e"):
        past, third = base + "d", base + "s"
    elif base.endswith("y") and base[-2] not in "aeiou":
        past, third = base[:-1] + "ied", base[:-1] + "ies"
    else:
        past = base + base[-1] + "ed" if base in _DOUBLED else base + "ed"
        third = base + "es" if base.endswith(("s", "sh", "ch", "x", "z", "o")) else base + "s"
    return {past, third}


VERBS = frozenset({form for base in _VERB_BASES for form in _forms(base)} | set(_IRREGULAR))

# Verbs whose object is a person: "told Lexie", "kissed Mark".
OBJECT_VERBS = frozenset("""told tells asked asks kissed kisses hugged hugs thanked thanks married marries texted
texts called calls helped helps hit hits punched punches slapped slaps kicked kicks pushed pushes shoved shoves
followed follows visited visits warned warns begged begs promised promises forgave forgives introduced introduces
greeted greets hugging kissing telling asking thanking helping dear""".split())

# What a person has: "Mark's hand", "Renée’s sister".
BODY_AND_KIN = frozenset("""hand hands arm arms eye eyes face voice lips lip mouth hair head shoulder shoulders chest
neck back fingers finger skin cheek cheeks jaw nose ear ears heart body knee knees leg legs foot feet smile gaze
breath tears brow forehead wrist wrists hip hips waist palm palms throat tongue teeth expression mother father mom
dad mum sister brother wife husband girlfriend boyfriend son daughter parents family friend friends aunt uncle
grandmother grandfather cousin partner fiancé fiancée name bedroom office room apartment car phone coat jacket
shirt bed desk attention hold grip touch laugh words""".split())

# Words before a name that make it a thing: an article, a demonstrative, a quantity.
DETERMINERS = frozenset("the a an this that these those some every any another no".split())
# ...or an epithet for somebody: "his Annabel Lee", "my Mitski record".
POSSESSIVE_DETERMINERS = frozenset("my his her their our your its".split())
# Works, groups and things named after a name: "Fleetwood Mac song", "the Tau Ceti group".
WORKS = frozenset("""song songs album albums record records track tracks lyrics concert concerts tour band poem poems
novel novels book books film films movie movies show shows series episode episodes season fandom fic fics fanfic
group system systems station stations moment moments style fan fans music playlist podcast video videos game games
cinematic universe verse license licence foundation trademark ebook ebooks archive website company corporation
inc ltd llc""".split())
# A credit before "by": "translated by David Wyllie", "a song by Mitski".
CREDITS = frozenset("""written translated edited illustrated directed produced sung performed composed adapted
inspired created published narrated read song poem book novel story album translation edition illustrations
cover art music lyrics""".split())

# Particles inside a full name: "Emmanellain de Fortemps", "Ludwig van Beethoven".
PARTICLES = frozenset("de du des da di del della dos das van von der den ten ter le la bin ibn al y".split())

# Words after which a name is a place, not a person: "at Seattle Grace", "in Seattle", "into
# Mercy West". ("to" and "from" take people as often as places: "said to Mark".)
LOCATIVE = frozenset("at in into inside outside near within across throughout".split())
# ...and "to", "from" and "by" after a word of going: "back to New York", "transferring to Mercy West".
GOING = frozenset("""go goes going went gone back move moved moves moving transfer transferred transferring fly flew
flown flying drive drove driven driving return returned returning come came coming head headed heading way trip
walk walked walking run ran running leave left leaving away home moved drop dropped stop stopped swing""".split())
# ...but "at" after a look or a feeling takes a person: "she looked at Mark", "mad at Derek".
AT_PERSON = frozenset("""look looks looked looking stare stares stared staring glance glances glanced glancing glare
glared glaring smile smiles smiled smiling grin grinned grinning laugh laughed laughing yell yelled yelling shout
shouted shouting snap snapped wink winked nod nodded wave waved point pointed pointing frown frowned scowl scowled
gape gaped peer peered squint squinted blink blinked mad angry upset furious annoyed cross aimed directed
jabbed thrown threw swung lunged lunge snarled hissed growled""".split())
# Last words of the names of places and institutions, which no person bears.
PLACE_WORDS = frozenset("""hospital memorial general center centre clinic university college school academy institute
street st avenue ave road rd lane boulevard park square plaza bar pub cafe café diner restaurant hotel inn motel church
cathedral station airport city county island lake river mountain mountains hall manor tower bridge mall market
harbor harbour bay beach valley forest woods hill hills heights ward house""".split())

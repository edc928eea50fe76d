"""Stop words for the stemmed languages that sumy ships no list for.

Short lists of the commonest function words (articles, pronouns, prepositions, conjunctions,
auxiliaries). They keep those words out of similarity and frequency scores, and the sentence
splitter uses them to tell a sentence that starts after an abbreviation from a name that continues
one ("U.S. The" vs "U.S. President"); lower-case only.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


EXTRA_STOP_WORDS: dict[str, frozenset[str]] = {
    "russian": _words(
        """
        и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
        её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни
        быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
        есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
        тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
        неё сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над
        больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою
        этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это эта
        также который которая которые которых которого котором был была были будут является
        однако этом этих ее его их свой своей своих также также
        """
    ),
    "dutch": _words(
        """
        de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
        hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
        naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
        waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
        altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
        andere we wij jullie volgens
        """
    ),
    "danish": _words(
        """
        og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om
        vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv
        her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end
        dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din
        nogle hos blive mange ad bliver hendes været thi jer sådan
        """
    ),
    "norwegian": _words(
        """
        og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har
        om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller
        hva skal selv sjøl her alle vil bli ble blitt kunne inn når være kom noen noe ville dere
        deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse
        uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors
        hvis både bare enn fordi før mange også slik vært båe begge siden henne hennar hennes
        """
    ),
    "finnish": _words(
        """
        olla olen olet on olemme olette ovat ole oli olisi ollut olleet minä sinä hän me te he
        tämä tuo se nämä nuo ne mikä mitkä kuka ketkä joka jotka että ja jos koska kuin mutta
        niin sekä sillä tai vaan vai vaikka kanssa mukaan noin poikki yli kun nyt itse ei eivät
        en et emme ette myös sen sitä siitä siihen niiden niitä heidän hänen jo vielä kaikki
        """
    ),
    "hungarian": _words(
        """
        a az egy be ki le fel meg el át rá ide oda szét és hogy nem is de ha mint már még csak
        vagy sem van volt lesz lett lehet kell nincs ez azt ezt ennek annak ebben abban aki ami
        amely amelyek akik mely ő ők én te mi ti őt őket neki nekik itt ott most majd pedig
        után alatt előtt között mellett szerint miatt által által sok több minden mert így úgy
        """
    ),
    "romanian": _words(
        """
        și si în in a al ale ai la de din pe cu că ca care ce este sunt era fost fi un o unui
        unei unor se nu mai sau dar iar pentru prin spre fără după despre până pana lui ei lor
        el ea noi voi ele ei acest această aceasta acesta aceste acestea acel acea cel cea cei
        cele fiecare toate toți tot foarte doar deja încă când cand unde cum dacă daca
        """
    ),
}

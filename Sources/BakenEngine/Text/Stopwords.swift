/// Function words: they carry no topic, but tell Dutch from English.
enum Stopwords {
    static let dutch: Set<String> = [
        "de", "het", "een", "ik", "je", "jij", "u", "uw", "mijn", "me", "mn", "m'n", "wij", "we", "ons", "onze", "hij", "zij", "ze",
        "hem", "haar", "die", "dat", "dit", "deze", "en", "of", "maar", "want", "dus", "als", "dan", "om", "te", "van", "voor", "op",
        "in", "aan", "met", "bij", "naar", "uit", "over", "tot", "door", "er", "hier", "daar", "is", "ben", "bent", "zijn", "was",
        "waren", "heb", "hebt", "heeft", "hebben", "had", "kan", "kun", "kunt", "kunnen", "wil", "wilt", "willen", "moet", "moeten",
        "mag", "zou", "zal", "wordt", "worden", "hoe", "wat", "waar", "wanneer", "waarom", "wie", "welke", "niet", "wel", "ook", "nog",
        "al", "nu", "even", "graag", "alsjeblieft", "alstublieft", "aub", "pls", "ja", "nee", "zo", "toch", "heel", "erg", "maar",
        "iets", "alles", "iemand", "doe", "doen", "gaat", "ga", "gaan", "krijg", "krijgen", "weet", "weten", "mee", "ermee", "eens",
    ]
    static let english: Set<String> = [
        "the", "a", "an", "i", "my", "me", "you", "your", "we", "our", "it", "its", "is", "are", "am", "was", "were", "be", "been",
        "do", "does", "did", "have", "has", "had", "can", "could", "would", "should", "will", "how", "what", "where", "when", "why",
        "who", "which", "to", "of", "for", "on", "in", "at", "with", "from", "and", "or", "but", "not", "this", "that", "there",
        "please", "get", "need", "want", "some", "any", "just", "about", "so",
    ]
    /// Words that are English but not Dutch, for language detection.
    static let englishOnly: Set<String> = english.subtracting(dutch).subtracting(["me", "is", "in", "have"])
    /// Words that are Dutch but not English.
    static let dutchOnly: Set<String> = dutch.subtracting(english)

    static func contains(_ word: String) -> Bool { dutch.contains(word) || english.contains(word) }
}

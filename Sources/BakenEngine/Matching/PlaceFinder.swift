import Foundation

/// Finds the library branches a message names: "bieb den burg", "is schagen open", "t zand".
///
/// Every branch's aliases (and its name without "Bibliotheek") become members of the concept
/// `@plaats`, so the analyser corrects misspelled place names toward them like any curated
/// word, and intents can use `@plaats` as a keyword. This type then maps the words as read
/// back to branch ids: written together or apart ("denburg", "den burg") alike.
struct PlaceFinder: Sendable {
    /// Alias with its spaces removed → location id.
    private var aliases: [String: String] = [:]
    /// Every beginning of an alias key ("d", "de", "den", "denb" …): a window of words is
    /// only extended while it can still become an alias.
    private var prefixes: Set<String> = []

    /// The concept the branches' names form.
    static let concept = "plaats"

    init(locations: [Location]) {
        for location in locations {
            for alias in Self.names(of: location) {
                let words = Normalizer.tokens(alias).map(\.folded)
                guard !words.isEmpty else { continue }
                let key = words.joined()
                if aliases[key] == nil { aliases[key] = location.id }
                for end in key.indices { prefixes.insert(String(key[...end])) }
            }
        }
    }

    /// The spellings of a branch: its aliases, its name without "Bibliotheek" and its id.
    static func names(of location: Location) -> [String] {
        var names = location.aliases
        var name = location.name
        if let bracket = name.firstIndex(of: "(") { name = String(name[..<bracket]) }
        for prefix in ["Bibliotheek ", "bibliotheek "] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
        names.append(name.trimmingCharacters(in: .whitespaces))
        names.append(location.id.replacingOccurrences(of: "_", with: " "))
        return names.filter { !$0.isEmpty }
    }

    /// Adds `@plaats` (every branch's names) to the concepts of `base`.
    static func addConcept(to base: inout KnowledgeBase) {
        var members = base.concepts[concept] ?? []
        for location in base.locations { members += names(of: location).map { Normalizer.fold($0) } }
        var seen = Set<String>()
        base.concepts[concept] = members.filter { seen.insert($0).inserted }
    }

    /// The branches named in a message, in order of appearance, each once. At each word the
    /// longest run of words that spells an alias wins ("den burg" before "den").
    func find(in analysis: Analysis) -> [String] {
        var words: [Substring] = []
        words.reserveCapacity(analysis.tokens.count)
        for token in analysis.tokens {
            for reading in token.readAs {
                if reading.utf8.contains(0x20) { words += reading.split(separator: " ") } else { words.append(Substring(reading)) }
            }
        }
        var found: [String] = []
        var index = 0
        while index < words.count {
            var key = ""
            var match: (id: String, end: Int)?
            var end = index
            while end < words.count {
                key += words[end]
                guard prefixes.contains(key) else { break }
                if let id = aliases[key] { match = (id, end + 1) }
                end += 1
            }
            if let match {
                if !found.contains(match.id) { found.append(match.id) }
                index = match.end
            } else {
                index += 1
            }
        }
        return found
    }
}

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
    /// The most words an alias has.
    private var longest = 1

    /// The concept the branches' names form.
    static let concept = "plaats"

    init(locations: [Location]) {
        for location in locations {
            for alias in Self.names(of: location) {
                let words = Normalizer.tokens(alias).map(\.folded)
                guard !words.isEmpty else { continue }
                longest = max(longest, words.count)
                let key = words.joined()
                if aliases[key] == nil { aliases[key] = location.id }
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

    /// The branches named in a message, in order of appearance, each once.
    func find(in analysis: Analysis) -> [String] {
        let words = analysis.tokens.flatMap { token in token.readAs.flatMap { $0.split(separator: " ").map(String.init) } }
        var found: [String] = []
        var index = 0
        while index < words.count {
            var matched = false
            for length in stride(from: min(longest + 1, words.count - index), through: 1, by: -1) {
                let key = words[index..<(index + length)].joined()
                if let id = aliases[key] {
                    if !found.contains(id) { found.append(id) }
                    index += length
                    matched = true
                    break
                }
            }
            if !matched { index += 1 }
        }
        return found
    }
}

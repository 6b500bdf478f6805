/// The engine's own sentences, B1 Dutch and plain English.
enum Phrases {
    static func clarify(_ language: Language) -> String {
        language == .nl ? "Ik weet niet precies wat u bedoelt. Gaat het over een van deze onderwerpen?" : "I am not sure what you mean. Is it about one of these topics?"
    }

    static func decline(_ language: Language) -> String {
        language == .nl
            ? "Sorry, dat begrijp ik niet goed. Kunt u het anders zeggen? Gebruik korte woorden, bijvoorbeeld: \"DigiD wachtwoord vergeten\"."
            : "Sorry, I do not understand that well. Can you say it in another way? Use short words, for example: \"DigiD password forgotten\"."
    }

    static func sensitive(_ language: Language) -> String {
        language == .nl
            ? "Ik wil u goed helpen. Gaat uw vraag over een van deze onderwerpen? U kunt ook een medewerker spreken."
            : "I want to help you well. Is your question about one of these topics? You can also talk to a person."
    }

    static func whichQuestion(_ language: Language) -> String {
        language == .nl ? "Waar gaat uw vraag over?" : "What is your question about?"
    }

    static func missingArticle(_ language: Language) -> String {
        language == .nl ? "Sorry, ik heb hier nog geen antwoord op. Een medewerker kan u helpen." : "Sorry, I have no answer for this yet. A staff member can help you."
    }
}

/// Turns an article's Markdown body into chat text: no markup, one step per line.
public enum ArticleText {
    /// Removes `**`, `__`, heading marks and link syntax; keeps numbered steps on their own lines.
    public static func plain(_ markdown: String) -> String {
        var lines: [String] = []
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            while line.hasPrefix("#") { line.removeFirst() }
            line = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            line = stripLinks(line).trimmingCharacters(in: .whitespaces)
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// `[text](url)` → `text (url)`.
    private static func stripLinks(_ line: String) -> String {
        var result = ""
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]"),
            rest.index(after: close) < rest.endIndex, rest[rest.index(after: close)] == "(",
            let end = rest[close...].firstIndex(of: ")")
        {
            result += rest[..<open]
            let text = rest[rest.index(after: open)..<close]
            let url = rest[rest.index(close, offsetBy: 2)..<end]
            result += text == url ? "\(url)" : "\(text) (\(url))"
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

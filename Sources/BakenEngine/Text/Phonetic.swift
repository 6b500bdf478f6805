/// A coarse Dutch sound key: words that sound alike get the same key
/// (`wachtwoort` ≈ `wachtwoord`, `paswoort` ≈ `paswoord`, `ebuk` ≈ `ebook`).
enum Phonetic {
    static func key(_ folded: String) -> String {
        var s = folded
        for (from, to) in replacements { s = s.replacingOccurrences(of: from, with: to) }
        var out: [Character] = []
        for ch in s where out.last != ch { out.append(ch) }  // collapse doubles
        if out.last == "d" { out[out.count - 1] = "t" }
        if out.count > 3, out.last == "n", out[out.count - 2] == "e" { out.removeLast() }
        return String(out)
    }

    private static let replacements: [(String, String)] = [
        ("sch", "s"), ("ph", "f"), ("th", "t"), ("ch", "g"), ("dt", "t"), ("ij", "ei"), ("y", "ei"),
        ("au", "ou"), ("oo", "o"), ("ee", "e"), ("aa", "a"), ("uu", "u"), ("ie", "i"), ("oe", "u"),
        ("c", "k"), ("q", "k"), ("x", "ks"), ("v", "f"), ("z", "s"), ("w", "v"),
    ]
}

/// Writes one JSON object as text, fast: the protocol sends thousands a second, and
/// Foundation's JSONSerialization is the slowest part of a reply on Linux.
///
/// Keys are written in the order given; strings are escaped per RFC 8259.
public struct JSONWriter {
    private(set) var text = "{"
    private var first = true

    init() { text.reserveCapacity(256) }

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\""
        text += name
        text += "\":"
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        Self.escape(value, into: &text)
    }

    mutating func optionalString(_ name: String, _ value: String?) {
        guard let value else { return null(name) }
        string(name, value)
    }

    mutating func null(_ name: String) {
        key(name)
        text += "null"
    }

    mutating func int(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// An array of objects with string fields, e.g. options or links.
    mutating func objects(_ name: String, _ items: [[(String, String)]]) {
        key(name)
        text += "["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            var object = JSONWriter()
            for (field, value) in item { object.string(field, value) }
            text += object.finish()
        }
        text += "]"
    }

    /// An array of strings.
    mutating func strings(_ name: String, _ items: [String]) {
        key(name)
        text += "["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            Self.escape(item, into: &text)
        }
        text += "]"
    }

    /// An array of already-encoded JSON values.
    mutating func rawArray(_ name: String, _ items: [String]) {
        key(name)
        text += "["
        text += items.joined(separator: ",")
        text += "]"
    }

    /// Raw, already-encoded JSON.
    mutating func raw(_ name: String, _ json: String) {
        key(name)
        text += json
    }

    func finish() -> String { text + "}" }

    /// A JSON array of strings, escaped like every protocol string (the store writes option
    /// ids with it).
    public static func array(_ items: [String]) -> String {
        var text = "["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            escape(item, into: &text)
        }
        return text + "]"
    }

    static func escape(_ value: String, into out: inout String) {
        out += "\""
        var needsEscaping = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

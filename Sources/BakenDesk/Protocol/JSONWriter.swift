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

    /// Appends `value` as a JSON string. A reply's text has a newline on every line, so the
    /// escaping path is the common one: it works on bytes and makes one string, not one append
    /// per character. (Slicing the string between escaped bytes is not safe: a combining mark
    /// after a quote makes one character of both, and a slice would round back to the quote.)
    static func escape(_ value: String, into out: inout String) {
        out += "\""
        let utf8 = value.utf8
        guard utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            out += value
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 32)
        for byte in utf8 {
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)  // \"
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)  // \\
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)  // \n
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)  // \r
            case 0x09: bytes.append(0x5C); bytes.append(0x74)  // \t
            case ..<0x20:
                func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? 0x30 + digit : 0x57 + digit }
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex(byte >> 4), hex(byte & 0xF)])  // \u00XX
            default: bytes.append(byte)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
        out += "\""
    }
}

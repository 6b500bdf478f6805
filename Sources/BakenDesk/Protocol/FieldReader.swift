import Foundation

/// Any JSON value, decoded without Foundation's number/bool ambiguity.
enum JSONValue: Decodable, Sendable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // A JSON value decodes as exactly one of these (`true` is no Double, `1` no Bool, `"1"`
        // no number), so the order only decides how many failed attempts, each a thrown error,
        // a value costs: strings first (most protocol fields), then the object every message is.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }
}

/// Reads typed fields of one protocol message, throwing the protocol's errors.
struct FieldReader: Sendable {
    var fields: [String: JSONValue]
    /// The message as it came (a staff command for another node is sent on as it is).
    var source = ""

    /// Parses bytes: invalid UTF-8, malformed JSON and non-objects are distinct errors.
    static func object(_ bytes: some Collection<UInt8>) throws(ProtocolError) -> FieldReader {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw .malformedJSON("it cannot be parsed")
        }
        guard case .object(let fields) = value else { throw .malformedJSON("it is not an object") }
        if let key = duplicateKey(fields.keys, in: Array(text.utf8)) {
            throw .malformedJSON("the key '\(key)' appears twice")
        }
        return FieldReader(fields: fields, source: text)
    }

    /// A key written twice as a key (`"type": … "type": …`). The decoder keeps the first and
    /// other parsers the last, so such an object means different things to different readers:
    /// it is refused. Protocol messages are flat objects, and inside a JSON string a quote is
    /// always escaped, so an unescaped `"key"` followed by `:` is a key.
    static func duplicateKey(_ keys: some Collection<String>, in bytes: [UInt8]) -> String? {
        for key in keys {
            let needle = Array(("\"" + key + "\"").utf8)
            var count = 0
            var index = 0
            while index + needle.count <= bytes.count {
                guard bytes[index] == 0x22, (index == 0 || bytes[index - 1] != 0x5C), bytes[index..<(index + needle.count)].elementsEqual(needle)
                else {
                    index += 1
                    continue
                }
                var after = index + needle.count
                while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 || bytes[after] == 0x0A || bytes[after] == 0x0D { after += 1 }
                if after < bytes.count, bytes[after] == 0x3A {
                    count += 1
                    if count > 1 { return key }
                }
                index += needle.count
            }
        }
        return nil
    }

    func type() throws(ProtocolError) -> String {
        guard let value = fields["type"], !value.isNull else { throw .missingField("type", type: "message") }
        guard case .string(let type) = value else { throw .wrongType("type", expected: "a string") }
        return type
    }

    func string(_ name: String, in type: String, id: String? = nil) throws(ProtocolError) -> String {
        guard let value = fields[name], !value.isNull else { throw .missingField(name, type: type, id: id) }
        guard case .string(let string) = value else { throw .wrongType(name, expected: "a string", id: id) }
        return string
    }

    /// The client's message id: 1–100 characters. An empty id would make every later empty id
    /// look like a retry; a huge one costs memory for nothing.
    func clientID(in type: String) throws(ProtocolError) -> String {
        let id = try string("id", in: type)
        guard !id.isEmpty, id.count <= 100 else { throw .invalidID }
        return id
    }

    func optionalString(_ names: String...) throws(ProtocolError) -> String? {
        for name in names {
            guard let value = fields[name], !value.isNull else { continue }
            guard case .string(let string) = value else { throw .wrongType(name, expected: "a string") }
            return string
        }
        return nil
    }

    func int(_ name: String, in type: String) throws(ProtocolError) -> Int {
        guard let value = fields[name], !value.isNull else { throw .missingField(name, type: type) }
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 9e15 else {
            throw .wrongType(name, expected: "a whole number")
        }
        return Int(number)
    }

    func bool(_ name: String, in type: String) throws(ProtocolError) -> Bool {
        guard let value = fields[name], !value.isNull else { throw .missingField(name, type: type) }
        guard case .bool(let flag) = value else { throw .wrongType(name, expected: "true or false") }
        return flag
    }
}

extension JSONValue {
    var isNull: Bool { if case .null = self { true } else { false } }
}

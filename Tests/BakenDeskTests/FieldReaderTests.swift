import Testing

@testable import BakenDesk

/// A key written twice means different things to different JSON readers: refused.
@Suite struct FieldReaderTests {
    @Test func aDuplicateKeyIsRefused() {
        #expect(throws: ProtocolError.self) { try FieldReader.object(Array(#"{"type":"say","id":"1","text":"hoi","type":"bye"}"#.utf8)) }
        #expect(throws: ProtocolError.self) { try FieldReader.object(Array(#"{"id":"1", "id" : "2","type":"ping"}"#.utf8)) }
    }

    @Test func aKeyInsideAStringIsNotADuplicate() throws {
        let reader = try FieldReader.object(Array(#"{"type":"say","id":"1","text":"ik typte \"type\": bye en \\\"type\\\""}"#.utf8))
        #expect(try reader.type() == "say")
    }
}

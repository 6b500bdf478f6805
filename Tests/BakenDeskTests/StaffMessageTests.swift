import Foundation
import Testing

@testable import BakenDesk

/// Staff messages are written by the protocol's JSON writer: valid JSON, null where a value is
/// missing, dates in ISO 8601.
@Suite struct StaffMessageTests {
    private func object(_ message: StaffMessage) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(message.json().utf8)) as? [String: Any])
    }

    @Test func aQueueItemCarriesEveryFieldTheConsoleShows() throws {
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        let item = StaffMessage.QueueItem(
            conversation: "c_1", intent: nil, location: "schagen", language: "nl", waitingSince: since, waitingSeconds: 75,
            lastMessage: "mijn \"digid\"\nwerkt niet", position: 1)
        let queue = try object(.queue(items: [item], mine: ["c_9"]))
        #expect(queue["type"] as? String == "queue")
        #expect(queue["mine"] as? [String] == ["c_9"])
        let first = try #require((queue["items"] as? [[String: Any]])?.first)
        #expect(first["intent"] is NSNull)
        #expect(first["location"] as? String == "schagen")
        #expect(first["waiting_since"] as? String == "2027-01-15T08:00:00Z")
        #expect(first["waiting_seconds"] as? Int == 75)
        #expect(first["last_message"] as? String == "mijn \"digid\"\nwerkt niet")
        #expect(first["position"] as? Int == 1)
    }

    @Test func aTranscriptListsTheMessagesInOrder() throws {
        let at = Date(timeIntervalSince1970: 0)
        let messages = [
            MessageRecord(conversation: "c", seq: 1, type: "reply", role: .bot, text: "Hallo", payload: "{}", createdAt: at),
            MessageRecord(conversation: "c", seq: 2, type: "ack", role: .resident, text: "digid", payload: "{}", createdAt: at),
        ]
        let transcript = try object(.transcript(conversation: "c", language: "nl", location: nil, phase: "queued", messages: messages))
        #expect(transcript["location"] is NSNull)
        let lines = try #require(transcript["messages"] as? [[String: Any]])
        #expect(lines.map { $0["seq"] as? Int } == [1, 2])
        #expect(lines.map { $0["role"] as? String } == ["bot", "resident"])
        #expect(lines.first?["at"] as? String == "1970-01-01T00:00:00Z")
    }

    @Test func closedSaysWhoEndedItOnlyWhenItWasTheResident() throws {
        #expect(try object(.closed(conversation: "c", outcome: "answered", by: nil))["by"] == nil)
        #expect(try object(.closed(conversation: "c", outcome: "answered", by: "resident"))["by"] as? String == "resident")
        #expect(try object(.message(conversation: "c", text: "hoi", seq: 4))["from"] as? String == "resident")
    }
}

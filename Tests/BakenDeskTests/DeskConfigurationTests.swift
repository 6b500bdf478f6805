import Foundation
import Testing

@testable import BakenDesk

/// The desk's settings come from the config file's keys, with the documented defaults.
@Suite struct DeskConfigurationTests {
    @Test func givenKeysOverrideAndTheRestKeepTheirDefaults() throws {
        let json = #"{"session_rate": 5, "max_queue_wait": 60, "port": 8080}"#
        let configuration = try JSONDecoder().decode(DeskConfiguration.self, from: Data(json.utf8))
        #expect(configuration.sessionRate == 5 && configuration.maxQueueWait == 60)
        let defaults = DeskConfiguration()
        #expect(configuration.maxFrameBytes == defaults.maxFrameBytes && configuration.addressBurst == defaults.addressBurst)
    }

    @Test func aWrongTypeIsAnError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DeskConfiguration.self, from: Data(#"{"session_rate": "fast"}"#.utf8))
        }
    }
}

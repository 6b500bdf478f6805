import BakenDesk
import BakenTesting
import Foundation
import Testing

@testable import BakenDesk

/// Bugs found in review of the non-test code. Each test fails until the bug is fixed; see the
/// comment on each for the cause and the proposed fix.
@Suite struct DeskBugTests {
    /// `resume` with `after` above the last committed seq sets `sentUpTo = after`, so every
    /// later message with a seq at or below `after` is never sent: the client waits forever.
    /// This happens for real when the store lost its last commits (SQLite `synchronous =
    /// NORMAL` after a power loss) and the client remembers more than the server.
    /// Fix: in `Desk.resume`, clamp: `var sent = min(max(0, after), state.committed)`, and
    /// send the welcome's `seq` so the client can notice that the server is behind.
    @Test func resumeAfterASeqTheServerDoesNotHaveStillDeliversNewMessages() async throws {
        let fixture = DeskFixture()
        let (first, welcome) = try await fixture.started()
        let session = try #require(welcome["session"] as? String)
        await first.disconnect()

        let second = await fixture.connect()
        await second.send(["type": "resume", "session": session, "after": 5])
        #expect(try await second.next().seq == 1)
        await second.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let ack = try await second.next(timeout: .seconds(10))
        #expect(ack.type == "ack")
    }

    /// The filter splits words on spaces only: a BSN after a line break or a tab is kept.
    /// Residents paste such text. Fix: in `PrivacyFilter.mask`, split on every whitespace
    /// character (keeping the separators to rebuild the text), e.g. with a regex over
    /// `\S+` ranges instead of `split(separator: " ")`.
    @Test func aBSNAfterALineBreakIsMasked() {
        #expect(!PrivacyFilter.mask("mijn bsn is\n111222333").contains("111222333"))
        #expect(!PrivacyFilter.mask("rekening:\nNL91ABNA0417164300").contains("NL91ABNA0417164300"))
    }
}


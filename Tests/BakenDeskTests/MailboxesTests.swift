import Testing

@testable import BakenDesk

/// One mailbox per conversation: its steps take turns in arrival order; another
/// conversation's step does not wait for them.
@Suite struct MailboxesTests {
    /// Runs steps through ``Mailboxes`` the way the desk does, logging when each gets its turn.
    actor Steps {
        var mailboxes = Mailboxes()
        var log: [String] = []

        func step(_ name: String, conversation: String, holdUntil gate: AsyncStream<Void>? = nil) async {
            if !mailboxes.enter(conversation) { await withCheckedContinuation { mailboxes.wait(conversation, $0) } }
            log.append(name)
            if let gate { for await _ in gate { break } }
            mailboxes.leave(conversation)?.resume()
        }

        func waiting(_ conversation: String) -> Int { mailboxes.waiting(conversation) }
    }

    @Test func stepsOfOneConversationTakeTurnsInArrivalOrder() async throws {
        let steps = Steps()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let first = Task { await steps.step("c1", conversation: "c", holdUntil: gate) }
        while await steps.log != ["c1"] { await Task.yield() }
        let second = Task { await steps.step("c2", conversation: "c") }
        while await steps.waiting("c") < 1 { await Task.yield() }
        let third = Task { await steps.step("c3", conversation: "c") }
        while await steps.waiting("c") < 2 { await Task.yield() }

        await steps.step("d1", conversation: "d")
        #expect(await steps.log == ["c1", "d1"], "another conversation goes on while c's first step runs; c's next ones wait")

        open.yield()
        _ = await (first.value, second.value, third.value)
        #expect(await steps.log == ["c1", "d1", "c2", "c3"], "c's steps in the order they arrived")
        #expect(await steps.waiting("c") == 0)
        var mailboxes = await steps.mailboxes
        let free = mailboxes.enter("c")
        #expect(free, "the mailbox is free again")
    }
}

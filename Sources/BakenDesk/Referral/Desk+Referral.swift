import BakenEngine
import Foundation

/// Referral status changes reported by the delivery worker, shown to the resident.
extension Desk {
    /// Tells the resident (as a seq-numbered message) that a referral was delivered or failed.
    public func referralChanged(_ referralID: String, status: ReferralRecord.Status) async {
        guard let referral = try? await store.referral(id: referralID) else { return }
        let id = referral.conversation
        // Several nodes: the resident is told by the node that holds the conversation.
        if case .node(let owner) = await route(id) { return send(.referral, to: owner, line: status.rawValue, referral: referralID) }
        if live[id] == nil {
            guard let record = try? await store.conversation(id: id) else { return }
            try? await loadStored(record)
        }
        guard let state = live[id] else { return }
        let language = state.record.language
        let name = dialogue.knowledge.partner(referral.partner)?.name ?? referral.partner
        let text: String
        switch status {
        case .delivered: text = DeskText.referralDelivered(name, language)
        case .dead: text = DeskText.referralFailed(name, language)
        default: return
        }
        var turn = makeTurn(id, now())
        turn.emit(role: .system, text: text) { .referralStatus(seq: $0, referral: referralID, status: status.rawValue, text: text) }
        await apply(id, turn, clientID: nil)
        if live[id]?.connection == nil, live[id]?.record.phase == .bot || live[id]?.record.phase == .closed { evict(id) }
    }

    /// A staff member refers the resident: the resident gets the consent request.
    func staffRefers(_ id: String, partner: String, by staff: String) async -> Bool {
        guard live[id] != nil else { return false }
        var turn = makeTurn(id, now())
        guard dialogue.offerReferral(&turn, partner: partner, requestedBy: staff, summary: live[id]?.lastResidentText) else { return false }
        return await apply(id, turn, clientID: nil)
    }
}

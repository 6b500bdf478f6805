import BakenEngine
import Foundation

/// Referrals with consent: show exactly what would be shared, then queue a signed webhook
/// in the same transaction as the resident's "yes".
extension Dialogue {
    /// The fields a partner may receive, in the order they are shown.
    static let fieldOrder = ["first_name", "contact", "location", "language", "topic", "summary"]

    /// Offers a referral to `partnerID`: a pending referral and a consent request.
    func offerReferral(_ turn: inout Turn, partner partnerID: String, requestedBy: String, summary: String?) -> Bool {
        guard let partner = knowledge.partner(partnerID), configuration.referralPartners?.contains(partnerID) ?? true else { return false }
        let language = turn.record.language
        var known: [String: String] = [:]
        if let id = turn.record.location, let location = knowledge.location(id) { known["location"] = location.name }
        known["language"] = language == .nl ? "Nederlands" : "English"
        if let intent = turn.record.lastIntent, let option = engine.option(for: intent, language: language) { known["topic"] = option.label }
        if let summary, !summary.isEmpty { known["summary"] = String(summary.prefix(200)) }
        let allowed = Self.fieldOrder.filter { partner.fields.contains($0) }
        var shown: [ConsentField] = []
        var values: [String: String] = [:]
        for name in allowed {
            let input = name == "first_name" || name == "contact"
            guard input || known[name] != nil else { continue }
            shown.append(ConsentField(name: name, label: DeskText.fieldLabel(name, language), value: input ? nil : known[name], input: input))
            if !input { values[name] = known[name] }
        }
        let referral = ReferralRecord(
            id: "r_" + SessionToken.conversationID().dropFirst(2), conversation: turn.record.id, partner: partner.id, status: .pendingConsent,
            fields: values, requestedBy: requestedBy, createdAt: turn.now, updatedAt: turn.now)
        turn.writes.append(.referral(referral))
        let text = DeskText.consentText(partner.name, language)
        turn.record.offered = ["consent:" + referral.id]
        turn.emit(role: .bot, text: text) { seq in
            .consentRequest(seq: seq, referral: referral.id, partner: partner.id, partnerName: partner.name, fields: shown, text: text)
        }
        return true
    }

    /// The resident's answer to a consent request.
    func consent(
        _ turn: inout Turn, clientID: String, referral: ReferralRecord, accept: Bool, firstName: String?, contact: String?
    ) throws(ProtocolError) {
        guard let partner = knowledge.partner(referral.partner) else { throw .unknownReferral(referral.id, id: clientID) }
        let language = turn.record.language
        var referral = referral
        referral.updatedAt = turn.now
        if !accept {
            turn.emit(role: .resident, text: "[no consent]", clientID: clientID) { .ack(id: clientID, seq: $0) }
            referral.status = .cancelled
            referral.fields = [:]
            turn.writes.append(.referral(referral))
            let text = DeskText.consentDeclined(language)
            turn.emit(role: .bot, text: text) { .referralStatus(seq: $0, referral: referral.id, status: "cancelled", text: text) }
            return
        }
        var fields = referral.fields
        for (name, value) in [("first_name", firstName), ("contact", contact)] where partner.fields.contains(name) {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 200 else {
                throw .missingField(name, type: "consent", id: clientID)
            }
            fields[name] = trimmed
        }
        turn.emit(role: .resident, text: "[consent given]", clientID: clientID) { .ack(id: clientID, seq: $0) }
        referral.fields = fields.filter { partner.fields.contains($0.key) }  // only what the partner may get, and was shown
        referral.status = .queued
        let event = OutboxRecord(
            id: "evt_" + SessionToken.conversationID().dropFirst(2), referral: referral.id, partner: partner.id,
            payload: Self.webhookPayload(referral, language: language, at: turn.now), nextAttemptAt: turn.now, createdAt: turn.now)
        turn.writes.append(.referral(referral))
        turn.writes.append(.outbox(event))
        turn.record.referred = true
        turn.record.offered = []
        let text = DeskText.consentGiven(partner.name, language)
        turn.emit(role: .bot, text: text) { .referralStatus(seq: $0, referral: referral.id, status: "queued", text: text) }
    }

    /// The webhook body: only the consented fields.
    static func webhookPayload(_ referral: ReferralRecord, language: Language, at date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let object: [String: Any] = [
            "type": "referral.created",
            "timestamp": formatter.string(from: date),
            "data": [
                "referral": referral.id, "partner": referral.partner, "language": language.rawValue, "fields": referral.fields,
            ] as [String: Any],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

import BakenEngine
import BakenTesting
import Foundation
import Testing

@testable import BakenDesk

/// A generated month with known counts: the report's figures are exact, per municipality and
/// topic, and small cells are hidden in every export.
@Suite struct ReportTests {
    static let day: TimeInterval = 24 * 3600
    static let start = Date(timeIntervalSince1970: 1_798_761_600)  // 2027-01-01T00:00:00Z

    /// `count` conversations at `location` on day `day` of the month, with an outcome.
    static func conversations(
        _ count: Int, at location: String?, topic: String, outcome: Outcome?, day: Int, handedOff: Bool = false, prefix: String
    ) -> [ConversationRecord] {
        (0..<count).map { n in
            var record = ConversationRecord(
                id: "\(prefix)\(n)", sessionHash: "\(prefix)h\(n)", language: .nl, location: location,
                now: start.addingTimeInterval(Double(day) * Self.day + Double(n) * 60))
            record.lastIntent = topic
            record.outcome = outcome
            record.phase = outcome == nil ? .bot : .closed
            record.handedOff = handedOff
            return record
        }
    }

    static let month: [ConversationRecord] =
        conversations(20, at: "den_helder", topic: "digid", outcome: .answered, day: 2, prefix: "a")
        + conversations(5, at: "julianadorp", topic: "digid", outcome: .unresolved, day: 3, prefix: "b")
        + conversations(6, at: "schagen", topic: "belastingaangifte", outcome: .referred, day: 10, prefix: "c")
        + conversations(4, at: "schagen", topic: "belastingaangifte", outcome: .handedOff, day: 11, handedOff: true, prefix: "d")
        + conversations(2, at: "den_burg", topic: "digid", outcome: .answered, day: 20, prefix: "e")
        + conversations(3, at: nil, topic: "digid", outcome: nil, day: 30, prefix: "f")
        // Outside the period: the day before and the day after.
        + conversations(7, at: "den_helder", topic: "digid", outcome: .answered, day: -1, prefix: "x")
        + conversations(7, at: "den_helder", topic: "digid", outcome: .answered, day: 31, prefix: "y")

    static let referrals = (0..<6).map { n in
        ReferralRecord(
            id: "r_\(n)", conversation: "c\(n)", partner: "belastinghulp", status: n < 5 ? .delivered : .dead, requestedBy: "bot",
            createdAt: start, updatedAt: start)
    }

    static func report(_ grouping: Report.Grouping) -> Report {
        Report(
            conversations: month, referrals: referrals, knowledge: ShippedKnowledge.loaded.0, by: grouping, from: start,
            to: start.addingTimeInterval(31 * day))
    }

    @Test func figuresPerMunicipalityAreExact() throws {
        let rows = Dictionary(uniqueKeysWithValues: Self.report(.municipality).rows.map { ($0.group, $0) })
        #expect(rows.keys.sorted() == ["(unknown)", "Den Helder", "Schagen", "Texel", "total"])
        let helder = try #require(rows["Den Helder"])
        #expect((helder.conversations, helder.answered, helder.unresolved, helder.finished) == (25, 20, 5, 25))
        #expect(helder.promiseRate == 0.8)
        let schagen = try #require(rows["Schagen"])
        #expect((schagen.conversations, schagen.referred, schagen.handedOff, schagen.handoffRequested) == (10, 6, 4, 4))
        #expect(schagen.referrals == [.delivered: 5, .dead: 1])
        #expect(schagen.promiseRate == 1.0)
        #expect(rows["Texel"]?.conversations == 2 && rows["Texel"]?.promiseRate == nil, "a rate needs 5 finished conversations")
        let unknown = try #require(rows["(unknown)"])
        #expect((unknown.conversations, unknown.finished) == (3, 0))
        let total = try #require(rows["total"])
        #expect((total.conversations, total.finished, total.answered) == (40, 37, 22))
        #expect(total.promiseRate == Double(22 + 6 + 4) / 37)
    }

    @Test func figuresPerTopicAreExact() {
        let rows = Dictionary(uniqueKeysWithValues: Self.report(.topic).rows.map { ($0.group, $0.conversations) })
        #expect(rows == ["digid": 30, "belastingaangifte": 10, "total": 40])
    }

    /// By topic, a question counts under its topic; by question, each question on its own.
    @Test func figuresPerQuestionAndPerTopic() {
        let records = Self.conversations(6, at: "schagen", topic: "digid_inloggen/wachtwoord_vergeten", outcome: .answered, day: 1, prefix: "w")
            + Self.conversations(5, at: "schagen", topic: "digid_inloggen", outcome: .answered, day: 1, prefix: "t")
        func rows(_ grouping: Report.Grouping) -> [String: Int] {
            let report = Report(
                conversations: records, referrals: [], knowledge: ShippedKnowledge.loaded.0, by: grouping, from: Self.start,
                to: Self.start.addingTimeInterval(31 * Self.day))
            return Dictionary(uniqueKeysWithValues: report.rows.map { ($0.group, $0.conversations) })
        }
        #expect(rows(.topic) == ["digid_inloggen": 11, "total": 11])
        #expect(rows(.question) == ["digid_inloggen/wachtwoord_vergeten": 6, "digid_inloggen": 5, "total": 11])
    }

    /// Every day of the period (UTC days, like the period), with its conversations and distinct residents
    /// (one browser session chatting three times is one resident); small counts hidden.
    @Test func conversationsAndDistinctResidentsPerDay() throws {
        var records = Self.month
        // Three more conversations on 2027-01-03 from one resident who already chatted that day.
        for n in 0..<3 {
            var record = ConversationRecord(
                id: "again\(n)", sessionHash: "ah0", language: .nl, location: "den_helder", now: Self.start.addingTimeInterval(2 * Self.day + 7200))
            record.phase = .closed
            record.outcome = .answered
            records.append(record)
        }
        let report = Report(
            conversations: records, referrals: [], knowledge: ShippedKnowledge.loaded.0, by: .total, from: Self.start,
            to: Self.start.addingTimeInterval(31 * Self.day))
        #expect(report.days.count == 31 && report.days.first?.date == "2027-01-01" && report.days.last?.date == "2027-01-31")
        let third = try #require(report.days.first { $0.date == "2027-01-03" })
        #expect(third.conversations == 23 && third.residents == 20)
        #expect(report.days.first { $0.date == "2027-01-12" }.map { ($0.conversations, $0.residents) } ?? (0, 0) == (4, 4))
        #expect(report.residents == 40, "43 conversations, 40 sessions")
        #expect(report.days.map(\.conversations).reduce(0, +) == 43)
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let days = try #require(json["days"] as? [[String: String]])
        #expect(days.first { $0["date"] == "2027-01-03" } == ["date": "2027-01-03", "conversations": "23", "residents": "20"])
        #expect(days.first { $0["date"] == "2027-01-12" }?["conversations"] == "< 5")
        #expect(json["residents"] as? String == "40")
        #expect(report.markdown().contains("| 2027-01-03 | 23 | 20 |"))
    }

    /// The days and the busy hours add up to the total: one hidden cell alone would be the total
    /// minus the others, so a second one is hidden.
    @Test func aLoneHiddenCellOfASeriesGetsACompanion() {
        #expect(Report.series([20, 3, 6, 0]) == ["20", "< 5", "x", "0"])
        #expect(Report.series([20, 3, 2, 0]) == ["20", "< 5", "< 5", "0"])
        #expect(Report.series([20, 6, 0]) == ["20", "6", "0"])
    }

    @Test func smallCountsAreHiddenInEveryExport() throws {
        let report = Self.report(.municipality)
        let csv = report.csv().split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(csv.first == Report.columns)
        let texel = try #require(csv.first { $0.first == "Texel" })
        #expect(texel[1] == "< 5" && texel[7] == "–", "\(texel)")
        let schagen = try #require(csv.first { $0.first == "Schagen" })
        // referred 6, handed off 4 → "< 5": the 6 is hidden too ("x"), else 10 − 6 gives the 4.
        #expect(schagen[1] == "10" && schagen[4] == "x" && schagen[5] == "< 5" && schagen[7] == "–", "\(schagen)")
        #expect(report.markdown().contains("| Texel | < 5 |"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(json["from"] as? String == "2027-01-01" && json["to"] as? String == "2027-01-31")
        let rows = try #require(json["rows"] as? [[String: String]])
        #expect(rows.first { $0["group"] == "Texel" }?["conversations"] == "< 5")
        #expect(!report.csv().contains(",2,") && !report.csv().contains(",3,"), "no count under 5 anywhere")
    }

    /// What someone with the CSV can work out: every sum the table publishes (a row's outcomes
    /// add up to `finished`; the groups add up to the total) solved for a single unknown, again
    /// and again. No hidden cell may come out — before, Texel's 2 answered conversations were
    /// the total's 22 minus Den Helder's 20.
    @Test(arguments: Report.Grouping.allCases)
    func noHiddenCountCanBeWorkedOutFromTheOthers(grouping: Report.Grouping) throws {
        let csv = Self.report(grouping).csv().split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var known: [[Int?]] = csv.map { $0.map { Int($0) } }
        let hidden = csv.indices.flatMap { r in csv[r].indices.filter { csv[r][$0] == "< 5" || csv[r][$0] == "x" }.map { (r, $0) } }
        var equations: [(sum: (Int, Int), parts: [(Int, Int)])] = csv.indices.map { r in ((r, 2), (3...6).map { (r, $0) }) }
        if grouping != .total {
            for c in [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 16, 17] { equations.append(((csv.count - 1, c), (0..<(csv.count - 1)).map { ($0, c) })) }
        }
        var solved = true
        while solved {
            solved = false
            for equation in equations {
                let cells = [equation.sum] + equation.parts
                let unknown = cells.filter { known[$0.0][$0.1] == nil }
                guard unknown.count == 1, let cell = unknown.first else { continue }
                let partsSum = equation.parts.compactMap { known[$0.0][$0.1] }.reduce(0, +)
                known[cell.0][cell.1] = cell == equation.sum ? partsSum : known[equation.sum.0][equation.sum.1]! - partsSum
                solved = true
            }
        }
        for (r, c) in hidden {
            #expect(known[r][c] == nil, "\(grouping): \(Report.columns[c]) of \(csv[r][0]) can be worked out as \(known[r][c] ?? 0)")
        }
        #expect(!hidden.isEmpty || grouping == .total)
    }
}

extension ReportTests {
    /// When residents chat, per local weekday and hour (Amsterdam time), small counts hidden.
    @Test func busyHoursAreCountedInLocalTime() throws {
        let report = Self.report(.total)
        // 2027-01-03 and 2027-01-31 are Sundays: 20 + 3 conversations from 00:00 UTC = 01:00 in Amsterdam.
        #expect(report.busyHours[6][1] == 23)
        #expect(report.busyHours[0][1] == 5 + 6, "Mondays 2027-01-04 and 2027-01-11")
        #expect(report.busyHours.flatMap { $0 }.reduce(0, +) == 40)
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let busy = try #require(json["busy_hours"] as? [[String]])
        #expect(busy.count == 7 && busy.allSatisfy { $0.count == 24 })
        #expect(busy[6][1] == "23")
        #expect(!busy.flatMap { $0 }.contains { ["1", "2", "3", "4"].contains($0) }, "small counts hidden")
    }
}

extension ReportTests {
    /// Referrals per partner and delivery status, for the partners' part of the report.
    @Test func referralsArePerPartnerAndStatus() throws {
        let report = Self.report(.total)
        #expect(report.referralsByPartner == ["belastinghulp": [.delivered: 5, .dead: 1]])
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let rows = try #require(json["referrals"] as? [[String: String]])
        #expect(rows.first?["partner"] == "belastinghulp" && rows.first?["delivered"] == "5" && rows.first?["dead"] == "< 5")
    }
}

extension ReportTests {
    /// The partners add up to the total's referral columns: one partner's small count alone
    /// would be the total minus the others.
    @Test func aSmallReferralCountOfOnePartnerCannotBeWorkedOut() throws {
        let referrals = (0..<23).map { n in
            ReferralRecord(
                id: "r_\(n)", conversation: "a\(n % 20)", partner: n < 3 ? "taalhuis" : "belastinghulp", status: .delivered, requestedBy: "bot",
                createdAt: Self.start, updatedAt: Self.start)
        }
        let report = Report(
            conversations: Self.month, referrals: referrals, knowledge: ShippedKnowledge.loaded.0, by: .total, from: Self.start,
            to: Self.start.addingTimeInterval(31 * Self.day))
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let partners = try #require(json["referrals"] as? [[String: String]])
        #expect(partners.first { $0["partner"] == "taalhuis" }?["delivered"] == "< 5")
        #expect(partners.first { $0["partner"] == "belastinghulp" }?["delivered"] == "x", "else 23 − 20 gives the 3")
    }

    /// "Was this helpful?" per topic of the reply; a rate only from 5 answers.
    @Test func helpfulAnswersArePerTopic() throws {
        let feedback = (0..<14).map { Report.Feedback(conversation: "a\($0)", topic: "digid/wachtwoord", helpful: $0 < 8) }
            + (0..<6).map { Report.Feedback(conversation: "c\($0 % 6)", topic: "belastingaangifte/hulp", helpful: $0 < 4) }
            + [Report.Feedback(conversation: "c0", topic: "belastingaangifte", helpful: false),
               Report.Feedback(conversation: "x0", topic: "digid", helpful: true)]  // outside the period: not counted
        let report = Report(
            conversations: Self.month, referrals: [], feedback: feedback, knowledge: ShippedKnowledge.loaded.0, by: .total, from: Self.start,
            to: Self.start.addingTimeInterval(31 * Self.day))
        #expect(report.helpfulByTopic["digid"]?.yes == 8 && report.helpfulByTopic["digid"]?.no == 6)
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let rows = try #require(json["helpful"] as? [[String: String]])
        #expect(rows.first { $0["topic"] == "digid" }?["rate"] == "57.1%")
        // 4 yes and 3 no: both hidden, so is the rate (4 of 7 would give them away).
        #expect(rows.first { $0["topic"] == "belastingaangifte" }.map { [$0["yes"], $0["no"], $0["rate"]] } == ["< 5", "< 5", "–"])
    }
}

extension ReportTests {
    /// The coordinators' figures beside the outcomes: answered in the first reply, the wait for
    /// a person (p50/p90, nearest rank), left the queue, fallbacks — exact, and hidden when small.
    @Test func firstReplyWaitsAndQueueFiguresAreExact() throws {
        var records = Self.conversations(10, at: "den_helder", topic: "digid", outcome: .answered, day: 2, prefix: "w")
        for index in records.indices {
            records[index].firstAnswered = index < 7  // 7 of 10 answered in the first reply
            records[index].waitedSeconds = index < 6 ? Double(index + 1) * 30 : nil  // 30, 60 … 180 s
            records[index].leftQueue = index == 9
            records[index].fallbackGiven = index >= 8
        }
        records += Self.conversations(3, at: "den_burg", topic: "digid", outcome: .answered, day: 3, prefix: "t").map { record in
            var record = record
            record.firstAnswered = false
            record.waitedSeconds = 600
            return record
        }
        let report = Report(
            conversations: records, referrals: [], knowledge: ShippedKnowledge.loaded.0, by: .municipality, from: Self.start,
            to: Self.start.addingTimeInterval(31 * Self.day))
        let rows = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.group, $0) })
        let helder = try #require(rows["Den Helder"])
        #expect((helder.firstAnswered, helder.firstQuestions, helder.leftQueue, helder.fallbacks) == (7, 10, 1, 2))
        #expect(helder.firstReplyRate == 0.7)
        #expect(helder.wait(percentile: 0.5) == 90 && helder.wait(percentile: 0.9) == 180)
        let texel = try #require(rows["Texel"])
        #expect(texel.wait(percentile: 0.5) == nil && texel.firstReplyRate == nil, "3 residents: no rate, no percentile")
        let total = try #require(rows["total"])
        #expect(total.wait(percentile: 0.9) == 600 && total.firstReplyRate == 7.0 / 13)

        let csv = report.csv().split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(csv.first)
        func cell(_ group: String, _ column: String) -> String? {
            guard let row = csv.first(where: { $0.first == group }), let index = header.firstIndex(of: column) else { return nil }
            return row[index]
        }
        #expect(cell("Den Helder", "first_reply_answered") == "7" && cell("Den Helder", "first_reply_rate") == "70.0%")
        #expect(cell("Den Helder", "wait_p50_seconds") == "90" && cell("Den Helder", "wait_p90_seconds") == "180")
        #expect(cell("Den Helder", "left_the_queue") == "< 5" && cell("Den Helder", "fallback_given") == "< 5")
        #expect(cell("Texel", "wait_p50_seconds") == "–" && cell("Texel", "first_reply_rate") == "–")
    }
}

extension ReportTests {
    /// Call-back requests of the period, open and handled; small counts hidden like the rest.
    @Test func callBackRequestsOfThePeriodAreCounted() throws {
        func ticket(_ n: Int, day: Int, status: String) -> TicketRecord {
            TicketRecord(
                conversation: "a\(n)", name: "X", contact: "0612345678", location: "den_helder", topic: "", status: status,
                createdAt: Self.start.addingTimeInterval(Double(day) * Self.day))
        }
        let tickets = (0..<6).map { ticket($0, day: 3, status: "handled") } + (0..<2).map { ticket($0, day: 4, status: "open") }
            + [ticket(9, day: -2, status: "open")]  // before the period
        let report = Report(
            conversations: Self.month, referrals: [], tickets: tickets, knowledge: ShippedKnowledge.loaded.0, by: .total, from: Self.start,
            to: Self.start.addingTimeInterval(31 * Self.day))
        #expect(report.callbacks.open == 2 && report.callbacks.handled == 6)
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(json["call_back_requests"] as? [String: String] == ["open": "< 5", "handled": "6"])
        #expect(report.markdown().contains("Call-back requests left in the period: < 5 open, 6 handled."))
    }
}

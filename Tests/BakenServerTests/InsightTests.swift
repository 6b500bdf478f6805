import BakenDesk
import BakenEngine
import BakenServer
import BakenTesting
import Foundation
import Testing

/// `/api/insight`: coordinators see the figures of their locations, admins all, staff none.
@Suite struct InsightTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15

    static func conversations(_ count: Int, at location: String, outcome: Outcome, prefix: String) -> [StoreWrite] {
        (0..<count).map { n in
            var record = ConversationRecord(id: "\(prefix)\(n)", sessionHash: "\(prefix)h\(n)", language: .nl, location: location, now: now)
            record.phase = .closed
            record.outcome = outcome
            return .conversation(record)
        }
    }

    @Test func aCoordinatorSeesTheirLocationsAnAdminAllAndStaffNothing() async throws {
        let store = MemoryStore()
        let coordinator = SessionToken.make(), admin = SessionToken.make(), staff = SessionToken.make(), everywhere = SessionToken.make()
        try await store.commit(
            [
                .staff(StaffRecord(name: "Cora", role: .coordinator, locations: ["schagen"], tokenHash: SessionToken.hash(coordinator), createdAt: Self.now)),
                .staff(StaffRecord(name: "Ada", role: .admin, locations: [], tokenHash: SessionToken.hash(admin), createdAt: Self.now)),
                .staff(StaffRecord(name: "Sam", role: .staff, locations: [], tokenHash: SessionToken.hash(staff), createdAt: Self.now)),
                .staff(StaffRecord(name: "Kees", role: .coordinator, locations: [], tokenHash: SessionToken.hash(everywhere), createdAt: Self.now)),
            ] + Self.conversations(6, at: "schagen", outcome: .answered, prefix: "s") + Self.conversations(7, at: "den_helder", outcome: .referred, prefix: "d"))
        let server = try await TestServer.start(store: store, now: { Self.now })
        let query = "/api/insight?from=2027-01-01&to=2027-01-31&by=municipality"

        let mine = try await server.get(query, headers: ["Authorization": "Bearer " + coordinator])
        #expect(mine.status == 200)
        let body = try JSONLine.decode(mine.body)
        #expect(body["scope"] as? [String] == ["schagen"])
        let rows = body["rows"] as? [[String: String]] ?? []
        #expect(rows.map { $0["group"] } == ["Schagen", "total"], "only their municipality: \(rows)")
        #expect(rows.last?["conversations"] == "6" && rows.last?["promise_rate"] == "100.0%")

        let all = try JSONLine.decode(try await server.get(query, headers: ["Authorization": "Bearer " + admin]).body)
        #expect((all["rows"] as? [[String: String]])?.last?["conversations"] == "13")

        #expect(try await server.get(query, headers: ["Authorization": "Bearer " + staff]).status == 403)
        #expect(try await server.get(query, headers: ["Authorization": "Bearer " + everywhere]).status == 403, "a coordinator without locations")
        #expect(try await server.get(query, headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await server.get(query).status == 401)
        #expect(try await server.get("/api/insight?by=shoe", headers: ["Authorization": "Bearer " + admin]).status == 400)
        let page = try await server.get("/insight")
        #expect(page.status == 200 && page.body.contains("insight.js"))
        await server.stop()
    }
}

extension InsightTests {
    /// `/api/unanswered`: the inbox grouped for curators; a coordinator sees the questions of
    /// their locations; staff none.
    @Test func unansweredQuestionsAreGroupedForCuratorsAndCoordinators() async throws {
        let store = MemoryStore()
        let curator = SessionToken.make(), coordinator = SessionToken.make(), staff = SessionToken.make()
        func question(_ conversation: String, _ text: String) -> StoreWrite {
            .unanswered(UnansweredRecord(conversation: conversation, seq: 2, text: text, reason: .decline, candidates: "", createdAt: Self.now))
        }
        try await store.commit(
            [
                .staff(StaffRecord(name: "Cas", role: .curator, locations: [], tokenHash: SessionToken.hash(curator), createdAt: Self.now)),
                .staff(StaffRecord(name: "Cora", role: .coordinator, locations: ["schagen"], tokenHash: SessionToken.hash(coordinator), createdAt: Self.now)),
                .staff(StaffRecord(name: "Sam", role: .staff, locations: [], tokenHash: SessionToken.hash(staff), createdAt: Self.now)),
            ] + Self.conversations(2, at: "schagen", outcome: .unresolved, prefix: "s") + Self.conversations(1, at: "den_helder", outcome: .unresolved, prefix: "d")
                + [
                    question("s0", "hoe voer ik mijn kanarie"), question("s1", "hoe voer ik mijn kanarie goed"),
                    question("d0", "waar parkeer ik mijn boot"), question("d0", "(reply 3 was not helpful)"),
                ])
        let server = try await TestServer.start(store: store, now: { Self.now })
        let all = try JSONLine.decode(try await server.get("/api/unanswered", headers: ["Authorization": "Bearer " + curator]).body)
        #expect(all["questions"] as? Int == 3, "the not-helpful marker is no question")
        let groups = all["groups"] as? [[String: Any]] ?? []
        #expect(groups.map { $0["count"] as? Int } == [2, 1], "\(groups)")
        #expect((groups.first?["examples"] as? [String])?.allSatisfy { $0.contains("kanarie") } == true)
        #expect((groups.first?["suggestion"] as? String)?.contains("    - \"hoe voer ik mijn kanarie\"") == true)

        let targets = all["targets"] as? [[String: Any]] ?? []
        #expect(targets.contains { $0["topic"] as? String == "digid_inloggen" && ($0["questions"] as? [String])?.contains("wachtwoord_vergeten") == true })

        // The curator picks the question the group should have matched.
        let bearer = ["Authorization": "Bearer " + curator]
        let picked = try await server.post(
            "/api/unanswered/suggestion", body: #"{"target": "digid_inloggen/wachtwoord_vergeten", "examples": ["ww kwijt 111222333"]}"#, headers: bearer)
        #expect(picked.status == 200)
        let snippet = try JSONLine.decode(picked.body)["suggestion"] as? String ?? ""
        #expect(snippet.contains("    - id: wachtwoord_vergeten\n      examples:\n        - \"ww kwijt [BSN]\""), "masked again: \(snippet)")
        #expect(try await server.post("/api/unanswered/suggestion", body: #"{"target": "geen/vraag", "examples": []}"#, headers: bearer).status == 400)
        let malformed = try await server.post("/api/unanswered/suggestion", body: "{", headers: bearer)
        #expect(malformed.status == 400)
        #expect(try JSONLine.decode(malformed.body)["error"] as? String == "invalid_request", "the error body is JSON: \(malformed.body)")
        #expect(try await server.post("/api/unanswered/suggestion", body: #"{"target": "new", "examples": []}"#, headers: ["Authorization": "Bearer " + staff]).status == 403)
        #expect(try await server.post("/api/unanswered/suggestion", body: #"{"target": "new", "examples": []}"#).status == 401)

        let mine = try JSONLine.decode(try await server.get("/api/unanswered", headers: ["Authorization": "Bearer " + coordinator]).body)
        #expect(mine["questions"] as? Int == 2, "only Schagen's questions")
        #expect(try await server.get("/api/unanswered", headers: ["Authorization": "Bearer " + staff]).status == 403)
        #expect(try await server.get("/api/unanswered").status == 401)
        await server.stop()
    }
}

extension InsightTests {
    /// The page's filters: one municipality, branch, topic or language; unknown values refused;
    /// the choices offered stay within a coordinator's locations.
    @Test func figuresCanBeNarrowedByMunicipalityBranchTopicAndLanguage() async throws {
        let store = MemoryStore()
        let admin = SessionToken.make(), coordinator = SessionToken.make()
        var writes: [StoreWrite] = [
            .staff(StaffRecord(name: "Ada", role: .admin, locations: [], tokenHash: SessionToken.hash(admin), createdAt: Self.now)),
            .staff(StaffRecord(name: "Cora", role: .coordinator, locations: ["schagen"], tokenHash: SessionToken.hash(coordinator), createdAt: Self.now)),
        ]
        for (n, (location, topic, language)) in [
            ("schagen", "toeslagen/huurtoeslag", Language.nl), ("schagen", "digid_inloggen", .en), ("den_helder", "toeslagen", .nl),
            ("julianadorp", "toeslagen", .en), ("den_burg", "ebooks", .nl),
        ].enumerated() {
            var record = ConversationRecord(id: "c\(n)", sessionHash: "h\(n)", language: language, location: location, now: Self.now)
            record.phase = .closed
            record.outcome = .answered
            record.lastIntent = topic
            writes.append(.conversation(record))
        }
        try await store.commit(writes)
        let server = try await TestServer.start(store: store, now: { Self.now })
        func total(_ filter: String, token: String = admin) async throws -> String? {
            let body = try JSONLine.decode(try await server.get("/api/insight?from=2027-01-01&to=2027-01-31&by=total" + filter, headers: ["Authorization": "Bearer " + token]).body)
            return (body["rows"] as? [[String: String]])?.last?["conversations"]
        }
        // Small counts read "< 5": each filter below would give 5 if it were ignored.
        #expect(try await total("") == "5")
        #expect(try await total("&municipality=Den%20Helder") == "< 5")
        #expect(try await total("&topic=toeslagen&language=en") == "< 5")
        #expect(try await total("&topic=ebooks&municipality=Schagen") == "0")
        #expect(try await total("&location=den_burg&topic=ebooks") == "< 5")
        for bad in ["&municipality=Atlantis", "&location=nowhere", "&topic=weather", "&language=de"] {
            let response = try await server.get("/api/insight?by=total" + bad, headers: ["Authorization": "Bearer " + admin])
            #expect(response.status == 400 && response.body.contains("invalid_query"), "\(bad)")
        }
        let body = try JSONLine.decode(try await server.get("/api/insight?by=total", headers: ["Authorization": "Bearer " + coordinator]).body)
        let choices = try #require(body["choices"] as? [String: Any])
        #expect(choices["municipalities"] as? [String] == ["Schagen"])
        #expect((choices["branches"] as? [[String: String]])?.map { $0["id"] } == ["schagen"])
        #expect((choices["topics"] as? [[String: String]])?.contains { $0["id"] == "toeslagen" } == true)
        await server.stop()
    }
}

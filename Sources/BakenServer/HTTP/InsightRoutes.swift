import BakenDesk
import Foundation
import Hummingbird
import NIOCore

/// The coordinators' figures: `GET /insight` (the page) and `GET /api/insight?from=&to=&by=`
/// (the report as JSON, small counts hidden), with `Authorization: Bearer <staff token>` of a
/// `coordinator` (their locations only) or an `admin` (everything).
enum InsightRoutes {
    static func add(to router: Router<BakenRequestContext>, desk: Desk, pages: WebPages) {
        router.get("/insight") { _, _ in pages.response(for: "insight.html") }
        router.head("/insight") { _, _ in pages.response(for: "insight.html").withoutBody }
        router.get("/api/insight") { request, _ in
            await report(request, desk: desk)
        }
        router.get("/api/unanswered") { request, _ in
            await unanswered(request, desk: desk)
        }
        router.post("/api/unanswered/suggestion") { request, _ in
            await suggestion(request, desk: desk)
        }
    }

    /// The staff member whose bearer token the request carries, or the response refusing it.
    static func member(of request: Request, desk: Desk) async -> Result<StaffRecord, ResponseError> {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            return .failure(.init(error(.unauthorized, "unauthorized", "Send your staff token as 'Authorization: Bearer TOKEN'.")))
        }
        let hash = SessionToken.hash(String(header.dropFirst("Bearer ".count)))
        guard let members = try? await desk.store.staffMembers(),
            let member = members.first(where: { SessionToken.sameHash($0.tokenHash, hash) }), !member.revoked
        else {
            return .failure(.init(error(.unauthorized, "unauthorized", "This staff token is not valid.")))
        }
        return .success(member)
    }

    struct ResponseError: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }

    /// `GET /api/unanswered?limit=`: the questions the bot could not answer (or that residents
    /// found not helpful), grouped like `baken unanswered --cluster`, newest first within a
    /// group, each group with a YAML snippet for `intents/`. For curators, coordinators (the
    /// questions of their locations) and admins.
    static func unanswered(_ request: Request, desk: Desk) async -> Response {
        let member: StaffRecord
        switch await Self.member(of: request, desk: desk) {
        case .failure(let refusal): return refusal.response
        case .success(let found): member = found
        }
        guard member.role.seesInsight || member.role == .curator else {
            return error(.forbidden, "not_permitted", "The unanswered questions are for curators, coordinators and admins.")
        }
        let limit = min(2000, max(1, request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 500))
        guard var items = try? await desk.store.unanswered(limit: limit) else {
            return error(.internalServerError, "storage_failure", "The questions could not be read.")
        }
        if member.role == .coordinator {
            // Only the questions asked at their locations.
            var locations: [String: String?] = [:]
            for id in Set(items.map(\.conversation)) { locations[id] = (try? await desk.store.conversation(id: id))??.location }
            items = items.filter { item in locations[item.conversation].flatMap { $0 }.map(member.locations.contains) ?? false }
        }
        return json(.ok, UnansweredGroups.json(items, engine: desk.dialogue.engine))
    }

    /// `POST /api/unanswered/suggestion` with `{"target": "TOPIC/QUESTION", "examples": […]}`:
    /// the YAML snippet that puts a group's examples where the curator chose (a topic, one of
    /// its questions, a new question, a new topic). Same accounts as `/api/unanswered`.
    static func suggestion(_ request: Request, desk: Desk) async -> Response {
        switch await Self.member(of: request, desk: desk) {
        case .failure(let refusal): return refusal.response
        case .success(let member):
            guard member.role.seesInsight || member.role == .curator else {
                return error(.forbidden, "not_permitted", "The unanswered questions are for curators, coordinators and admins.")
            }
        }
        guard let body = try? await request.body.collect(upTo: 64 * 1024) else {
            return error(.contentTooLarge, "too_large", "Send at most 64 KiB.")
        }
        guard let wanted = try? JSONDecoder().decode(UnansweredGroups.SuggestionRequest.self, from: Data(body.readableBytesView)) else {
            return error(.badRequest, "invalid_request", "Send {\"target\": \"TOPIC/QUESTION\", \"examples\": [\"…\"]}.")
        }
        guard let answer = UnansweredGroups.suggestion(wanted, engine: desk.dialogue.engine) else {
            return error(.badRequest, "unknown_target", "The target is no topic or question of the knowledge in use: pick one from 'targets'.")
        }
        return json(.ok, answer)
    }

    static func report(_ request: Request, desk: Desk) async -> Response {
        let member: StaffRecord
        switch await Self.member(of: request, desk: desk) {
        case .failure(let refusal): return refusal.response
        case .success(let found): member = found
        }
        guard member.role.seesInsight else {
            return error(.forbidden, "not_permitted", "The figures are for coordinators and admins.")
        }
        // A coordinator sees their own locations; an account without any would see everything.
        guard member.role == .admin || !member.locations.isEmpty else {
            return error(.forbidden, "not_permitted", "This coordinator account has no locations; ask for them, or use an admin account.")
        }
        guard let store = desk.store as? any ReportingStore else {
            return error(.notImplemented, "not_available", "This store cannot make reports.")
        }
        let day = Date.ISO8601FormatStyle().year().month().day()
        let now = desk.now()
        let query = request.uri.queryParameters
        let grouping = Report.Grouping(rawValue: query["by"].map(String.init) ?? "municipality")
        let last = query["to"].flatMap { try? day.parse(String($0)) } ?? now
        let first = query["from"].flatMap { try? day.parse(String($0)) } ?? last.addingTimeInterval(-29 * 86400)
        guard let grouping, query["from"] == nil || (try? day.parse(String(query["from"]!))) != nil,
            query["to"] == nil || (try? day.parse(String(query["to"]!))) != nil
        else {
            return error(.badRequest, "invalid_query", "Use from=YYYY-MM-DD, to=YYYY-MM-DD and by=municipality|branch|topic|question|language|total.")
        }
        let start = Calendar.utc.startOfDay(for: first)
        let end = Calendar.utc.startOfDay(for: last).addingTimeInterval(86400)
        guard start < end, end.timeIntervalSince(start) <= 400 * 86400 else {
            return error(.badRequest, "invalid_query", "The period must run forward and span at most 400 days.")
        }
        guard var found = try? await store.conversations(from: start, to: end), let feedback = try? await store.feedback(from: start, to: end),
            var tickets = try? await desk.store.tickets()
        else {
            return error(.internalServerError, "storage_failure", "The figures could not be read.")
        }
        let scope = member.role == .admin ? [] : member.locations
        let knowledge = desk.dialogue.engine.knowledge
        func chosen(_ name: Substring) -> String? { query[name].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }  // "" = all
        let filter = ReportFilter(
            municipality: chosen("municipality"), location: chosen("location"), topic: chosen("topic"), language: chosen("language"))
        if let problem = filter.problem(in: knowledge) { return error(.badRequest, "invalid_query", problem) }
        if !scope.isEmpty || !filter.isEmpty {
            found.conversations = found.conversations.filter { record in
                (scope.isEmpty || record.location.map(scope.contains) ?? false) && filter.admits(record, knowledge: knowledge)
            }
            let ids = Set(found.conversations.map(\.id))
            found.referrals = found.referrals.filter { ids.contains($0.conversation) }
            tickets = tickets.filter { ids.contains($0.conversation) }
        }
        let report = Report(
            conversations: found.conversations, referrals: found.referrals, feedback: feedback, tickets: tickets,
            knowledge: knowledge, by: grouping, from: start, to: end)
        return json(.ok, report.json(scope: scope, choices: ReportFilter.choices(in: knowledge, scope: scope)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        // Encoded, not interpolated: a message may quote what the request sent.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = (try? encoder.encode(["error": code, "message": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        var response = json(status, body)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .xContentTypeOptions: "nosniff", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC: report days are UTC days, as in `baken report`.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

import Foundation

/// CPU time of the server, of this client and of the whole machine, from `/proc` (Linux).
struct Usage: Sendable {
    var time: Date
    /// Seconds of CPU the server used (user + system); nil without a pid.
    var server: Double?
    var serverRSS: Int?
    var client: Double
    /// Busy and total jiffies of the whole machine.
    var machineBusy: Double
    var machineTotal: Double

    static func read(pid: Int32?) -> Usage {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        func cpu(_ path: String) -> Double? {
            guard let stat = try? String(contentsOfFile: path, encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // after the name: state(0) … utime(11) stime(12)
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return (user + system) / ticks
        }
        func rss(_ pid: Int32) -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
            else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        var busy = 0.0
        var total = 0.0
        if let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let first = stat.split(separator: "\n").first {
            let values = first.split(separator: " ").dropFirst().compactMap { Double($0) }
            total = values.reduce(0, +)
            busy = total - (values.count > 4 ? values[3] + values[4] : 0)  // minus idle and iowait
        }
        return Usage(
            time: Date(), server: pid.flatMap { cpu("/proc/\($0)/stat") }, serverRSS: pid.flatMap(rss), client: cpu("/proc/self/stat") ?? 0,
            machineBusy: busy, machineTotal: total)
    }
}

/// The report of one run.
struct Summary {
    var mode: LoadCommand.Mode
    var sessions: Int
    var offered: Double
    var window: Double
    /// The counts; its latencies sorted (the percentiles of both reports read them).
    var tally: Tally
    var before: Usage
    var after: Usage

    private var measured: Double { after.time.timeIntervalSince(before.time) }
    var sentRate: Double { Double(tally.sentInWindow) / window }
    var answeredRate: Double { Double(tally.answeredInWindow) / window }
    /// Share of one core over the measured window.
    var serverCPU: Double? { after.server.flatMap { a in before.server.map { (a - $0) / measured } } }
    var clientCPU: Double { (after.client - before.client) / measured }
    var machineCPU: Double {
        let total = after.machineTotal - before.machineTotal
        return total > 0 ? (after.machineBusy - before.machineBusy) / total : 0
    }

    func percentile(_ p: Double, of sorted: [Int32]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[max(0, min(sorted.count - 1, rank))]) / 1000
    }

    var text: String {
        let sorted = tally.latencies
        func ms(_ value: Double?) -> String { value.map { String(format: "%.2f ms", $0) } ?? "-" }
        func pct(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }
        var lines = [
            "\(mode.rawValue): \(sessions) sessions, \(String(format: "%.0f", offered)) msg/s offered, \(String(format: "%.1f", window)) s measured",
            "  sent                \(String(format: "%10.0f", sentRate)) msg/s",
            "  answered            \(String(format: "%10.0f", answeredRate)) msg/s",
            "  latency  p50 \(ms(percentile(50, of: sorted)))  p99 \(ms(percentile(99, of: sorted)))  p99.9 \(ms(percentile(99.9, of: sorted)))  max \(ms(sorted.last.map { Double($0) / 1000 }))",
            "  unanswered          \(tally.sent - tally.completed)",
            "  CPU  server \(pct(serverCPU)) of a core  client \(pct(clientCPU))  machine \(pct(machineCPU))",
        ]
        if let cpu = serverCPU, answeredRate > 0 {
            lines.append(String(format: "  server CPU per answered message %.3f ms", cpu / answeredRate * 1000))
        }
        if let rss = after.serverRSS { lines.append("  server RSS \(rss / 1024) MiB") }
        lines.append("  sessions open at end \(tally.openAtEnd)")
        for (error, count) in tally.errors.sorted(by: { $0.key < $1.key }) { lines.append("  error \(error): \(count)") }
        if answeredRate < 0.97 * sentRate { lines.append("NOTE: the server fell behind (answered < 97% of sent)") }
        if machineCPU > 0.95 { lines.append("NOTE: the machine was saturated") }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let sorted = tally.latencies
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "null" }
        return """
            {"mode":"\(mode.rawValue)","sessions":\(sessions),"offered":\(offered),"sent_per_s":\(number(sentRate)),\
            "answered_per_s":\(number(answeredRate)),"p50_ms":\(number(percentile(50, of: sorted))),\
            "p99_ms":\(number(percentile(99, of: sorted))),"server_cpu":\(number(serverCPU)),"client_cpu":\(number(clientCPU)),\
            "machine_cpu":\(number(machineCPU)),"unanswered":\(tally.sent - tally.completed)}
            """
    }
}

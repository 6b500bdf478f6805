import Foundation
import Hummingbird
import NIOCore

/// The web chat, the staff console and the embeddable widget: static files shipped as SwiftPM
/// resources (`Sources/BakenServer/Web`) and served with strict security headers.
///
/// Routes (added by ``buildApplication(desk:configuration:registry:logger:)``):
/// `GET /` → `index.html`, `GET /staff` → `staff.html`, `GET /static/<file>` → a file of `Web/`.
/// Only the files listed in ``WebPages/files`` are served: no directory listing, no `..`.
struct WebPages: Sendable {
    /// One file ready to send.
    struct File: Sendable {
        let bytes: ByteBuffer
        let contentType: String
    }

    /// The files that may be served, by name, with their content types.
    static let files: [String: String] = [
        "index.html": "text/html; charset=utf-8",
        "staff.html": "text/html; charset=utf-8",
        "insight.html": "text/html; charset=utf-8",
        "insight.js": "text/javascript; charset=utf-8",
        "chat.js": "text/javascript; charset=utf-8",
        "staff.js": "text/javascript; charset=utf-8",
        "protocol.js": "text/javascript; charset=utf-8",
        "widget.js": "text/javascript; charset=utf-8",
        "style.css": "text/css; charset=utf-8",
        "icon.svg": "image/svg+xml",
    ]

    /// The Content-Security-Policy of the resident chat: it may be framed by this server's own
    /// pages and the library websites that embed it with `widget.js` (`allowed_origins`), no
    /// others; sockets only to this server. Inline script and style stay forbidden.
    let chatPolicy: String
    /// The staff console and the figures may not be framed at all (clickjacking).
    static let staffPolicy = policy(frameAncestors: "'none'")

    /// The pages' one policy; only who may frame them differs.
    static func policy(frameAncestors: String) -> String {
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors " + frameAncestors
    }

    private let loaded: [String: File]

    /// Reads every file once from `Bundle.module` (subdirectory `Web`). A file missing from the
    /// bundle is answered with 404, so a broken install is visible but does not stop the server.
    init(allowedOrigins: [String] = []) {
        chatPolicy = Self.policy(frameAncestors: (["'self'"] + allowedOrigins).joined(separator: " "))
        var loaded: [String: File] = [:]
        for (name, type) in Self.files {
            let dot = name.lastIndex(of: ".")!
            let base = String(name[..<dot])
            let ext = String(name[name.index(after: dot)...])
            if let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Web"),
                let data = try? Data(contentsOf: url)
            {
                loaded[name] = File(bytes: ByteBuffer(bytes: data), contentType: type)
            }
        }
        self.loaded = loaded
    }

    /// The response for a file name, or 404.
    func response(for name: String) -> Response {
        guard let file = loaded[name] else {
            return Response(
                status: .notFound, headers: Self.securityHeaders(policy: chatPolicy, contentType: "text/plain; charset=utf-8"),
                body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
        }
        let staffOnly = name == "staff.html" || name == "insight.html"
        var headers = Self.securityHeaders(policy: staffOnly ? Self.staffPolicy : chatPolicy, contentType: file.contentType)
        if staffOnly { headers[.init("X-Frame-Options")!] = "DENY" }
        if name == "widget.js" || name == "icon.svg" {
            // Loaded by library websites on other origins.
            headers[.init("Cross-Origin-Resource-Policy")!] = "cross-origin"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.bytes))
    }

    static func securityHeaders(policy: String, contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-cache"
        return headers
    }

    /// Adds the page routes to a router.
    /// `HEAD` answers like `GET`, without the body.
    func addRoutes(to router: Router<some RequestContext>) {
        let pages = self
        router.get("/") { _, _ in pages.response(for: "index.html") }
        router.head("/") { _, _ in pages.response(for: "index.html").withoutBody }
        router.get("/staff") { _, _ in pages.response(for: "staff.html") }
        router.head("/staff") { _, _ in pages.response(for: "staff.html").withoutBody }
        router.get("/static/:file") { _, context in
            pages.response(for: context.parameters.get("file") ?? "")
        }
        router.head("/static/:file") { _, context in
            pages.response(for: context.parameters.get("file") ?? "").withoutBody
        }
    }
}

extension Response {
    /// The same status and headers, no body (for `HEAD`).
    var withoutBody: Response { Response(status: status, headers: headers) }
}

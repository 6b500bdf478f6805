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

    /// The Content-Security-Policy of the resident chat. `frame-ancestors *` lets any library
    /// website embed the chat with `widget.js`; inline script and style stay forbidden.
    static let chatPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *"
    /// The staff console may not be framed at all (clickjacking).
    static let staffPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private let loaded: [String: File]

    /// Reads every file once from `Bundle.module` (subdirectory `Web`). A file missing from the
    /// bundle is answered with 404, so a broken install is visible but does not stop the server.
    init() {
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
                status: .notFound, headers: Self.securityHeaders(policy: Self.chatPolicy, contentType: "text/plain; charset=utf-8"),
                body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
        }
        let staffOnly = name == "staff.html" || name == "insight.html"
        var headers = Self.securityHeaders(policy: staffOnly ? Self.staffPolicy : Self.chatPolicy, contentType: file.contentType)
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
    func addRoutes(to router: Router<some RequestContext>) {
        let pages = self
        router.get("/") { _, _ in pages.response(for: "index.html") }
        router.get("/staff") { _, _ in pages.response(for: "staff.html") }
        router.get("/static/:file") { _, context in
            pages.response(for: context.parameters.get("file") ?? "")
        }
    }
}

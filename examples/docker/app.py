"""A minimal HTTP service for the Dockerfile examples."""

from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"hello\n")


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8080), Hello).serve_forever()

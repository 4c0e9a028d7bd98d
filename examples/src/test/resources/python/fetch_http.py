import argparse
import asyncio

import aiohttp

from http_hello import handle


async def fetch(session, url):
    async with session.get(url) as response:
        return response.status, await response.text()


async def main(host, port):
    server = await asyncio.start_server(handle, host, port)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"Serving on {host}:{port}")
    urls = [f"http://{host}:{port}/{page}" for page in ("one", "two", "three")]
    async with server, aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(fetch(session, url) for url in urls))
        for url, (status, text) in zip(urls, results):
            print(f"{url}: {status} {text!r}")


parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8888)
args = parser.parse_args()
asyncio.run(main(args.host, args.port))

package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.sleep;

public class Fetcher {
    public void notAsync() {
        await(sleep(1.0));
    }

    public String alsoNotAsync() {
        return await(sleep(1.0, "late"));
    }
}

// The first build failed (invoker.buildResult.1); it must say where, for every problem, as javac would.
def log = new File(basedir, 'build.log').text
def source = new File(basedir, 'src/main/java/demo/Fetcher.java').canonicalPath

assert log.contains('jasyncio cannot weave 1 class') : 'no failure of the jasyncio plugin'
assert log.contains("${source}:8: demo.Fetcher.notAsync(): ") : 'first problem (Fetcher.java:8) not shown'
assert log.contains("${source}:12: demo.Fetcher.alsoNotAsync(): ") : 'second problem (Fetcher.java:12) not shown'
// the second build excluded the class: nothing to weave, and success
def summaries = log.readLines().findAll { it.contains('[INFO] jasyncio: ') && it.contains(' classes scanned') }
assert summaries.size() == 1 && summaries[0].contains('1 classes scanned, 0 woven (0 methods)') : summaries
assert log.contains('BUILD SUCCESS')
true

// The first build wove Greeter; the second must leave every class file as the first left it: same files, same
// bytes, and not written again (a file written by the second build is newer than its copy made at its start).
def classes = new File(basedir, 'target/classes')
def previous = new File(basedir, 'target/previous-build')

def files = { File root ->
    def found = [] as SortedSet
    root.eachFileRecurse(groovy.io.FileType.FILES) { found << root.toPath().relativize(it.toPath()).toString() }
    found
}

def now = files(classes)
assert now.contains('demo/Greeter.class') && now.contains('demo/Plain.class')
assert now.any { it.startsWith('demo/Greeter$$Async$') } : "no frame class was written: ${now}"
assert files(previous) == now : "the second build changed the set of class files:\n${files(previous)}\n${now}"
now.each { name ->
    def after = new File(classes, name)
    def before = new File(previous, name)
    assert after.bytes == before.bytes : "${name} was changed by the second build"
    assert after.lastModified() <= before.lastModified() : "${name} was written again by the second build"
}

// Both builds ran the goal: the first wove Greeter, the second found nothing to do.
def log = new File(basedir, 'build.log').text
def summaries = log.readLines().findAll { it.contains('[INFO] jasyncio: ') && it.contains(' classes scanned') }
assert summaries.size() == 2 : "expected two jasyncio summaries:\n${summaries.join('\n')}"
assert summaries[0].contains('2 classes scanned, 1 woven') : summaries[0]
assert summaries[1].contains('2 classes scanned, 0 woven (0 methods), 0 frame classes written') : summaries[1]
// one line each, with the time the weaving took
assert summaries.every { it ==~ /.* in target\/classes, \d+ ms$/ } : summaries

// And the woven program runs.
def runtime = new File(localRepositoryPath,
        "io/jasyncio/jasyncio-runtime/${projectVersion}/jasyncio-runtime-${projectVersion}.jar")
def annotations = new File(localRepositoryPath,
        "io/jasyncio/jasyncio-annotations/${projectVersion}/jasyncio-annotations-${projectVersion}.jar")
def java = new File(System.getProperty('java.home'), 'bin/java').path
def cp = [classes, runtime, annotations].collect { it.path }.join(File.pathSeparator)
def proc = new ProcessBuilder(java, '-cp', cp, 'demo.Greeter', 'maven').redirectErrorStream(true).start()
def output = proc.inputStream.text
assert proc.waitFor() == 0 : output
assert output.trim() == 'hello maven' : output
true

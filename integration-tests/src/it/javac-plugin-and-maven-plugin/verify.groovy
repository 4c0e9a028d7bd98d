// The javac plugin wove every class; jasyncio-maven-plugin, run after it, found them woven and changed nothing:
// same files, same bytes, not written again.
import io.jasyncio.it.support.WovenClasses

def classes = new File(basedir, 'target/classes')
def afterJavac = new File(basedir, 'target/after-javac')
def files = { File root ->
    def found = [] as SortedSet
    root.eachFileRecurse(groovy.io.FileType.FILES) { found << root.toPath().relativize(it.toPath()).toString() }
    found
}
def now = files(classes)
assert now.contains('demo/Greeter$$Async$greet.class') : now
assert files(afterJavac) == now
now.each { name ->
    def after = new File(classes, name)
    def before = new File(afterJavac, name)
    assert after.bytes == before.bytes : "${name} was changed by the Maven plugin"
    assert after.lastModified() <= before.lastModified() : "${name} was written again by the Maven plugin"
}

def log = new File(basedir, 'build.log').text
def summaries = log.readLines().findAll { it.contains('[INFO] jasyncio: ') && it.contains(' classes scanned') }
assert summaries.size() == 1 : summaries
assert summaries[0].contains('2 classes scanned, 0 woven (0 methods), 0 frame classes written, 2 unchanged, 0 stale') : summaries[0]

def jar = { String artifact ->
    new File(localRepositoryPath, "io/jasyncio/${artifact}/${projectVersion}/${artifact}-${projectVersion}.jar")
}
def libs = [jar('jasyncio-runtime'), jar('jasyncio-annotations')]
assert WovenClasses.verify(classes.toPath(), libs*.toPath()) == 2
def java = new File(System.getProperty('java.home'), 'bin/java').path
def cp = ([classes] + libs).collect { it.path }.join(File.pathSeparator)
def proc = new ProcessBuilder(java, '-cp', cp, 'demo.Main', 'both').redirectErrorStream(true).start()
def output = proc.inputStream.text
assert proc.waitFor() == 0 : output
assert output.trim() == 'hello both! / hello nobody!'
true

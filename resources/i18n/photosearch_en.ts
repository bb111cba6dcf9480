<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DateFilter</name>
    <message>
        <source>Only photos taken at a time (the query&apos;s date:, after: and before:)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A month…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From… to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date: {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos taken in a month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Year:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos taken between two days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (included):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicatesView</name>
    <message>
        <source>Exact copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near-duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln files to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</source>
        <translation>
            <numerusform>Move %Ln file to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</numerusform>
            <numerusform>Move %Ln files to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln photo</numerusform>
            <numerusform>%Ln photos</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near-duplicate similarity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move others to trash…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups</source>
        <translation>
            <numerusform>%Ln group</numerusform>
            <numerusform>%Ln groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln extra copies</source>
        <translation>
            <numerusform>%Ln extra copy</numerusform>
            <numerusform>%Ln extra copies</numerusform>
        </translation>
    </message>
    <message>
        <source>No duplicates found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln files to {place}; restore them from there.</source>
        <translation>
            <numerusform>Moved %Ln file to {place}; restore them from there.</numerusform>
            <numerusform>Moved %Ln files to {place}; restore them from there.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln could not be moved:</source>
        <translation>
            <numerusform>%Ln could not be moved:</numerusform>
            <numerusform>%Ln could not be moved:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups left alone:</source>
        <translation>
            <numerusform>%Ln group left alone:</numerusform>
            <numerusform>%Ln groups left alone:</numerusform>
        </translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Show %Ln copies</source>
        <translation>
            <numerusform>Show %Ln copy</numerusform>
            <numerusform>Show %Ln copies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderActions</name>
    <message>
        <source>Added {folders}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removed {folder} from the library (%Ln photos; files untouched)</source>
        <translation>
            <numerusform>Removed {folder} from the library (%Ln photo; files untouched)</numerusform>
            <numerusform>Removed {folder} from the library (%Ln photos; files untouched)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>its %Ln photos</source>
        <translation>
            <numerusform>its %Ln photo</numerusform>
            <numerusform>its %Ln photos</numerusform>
        </translation>
    </message>
    <message>
        <source>its photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove “{name}” from the library?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library forgets {what}: search results, tags and duplicate groups. The files on disk are not touched; add the folder again to bring them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget this folder (the files stay on disk)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop folders here, or add them with the button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln indexed</numerusform>
            <numerusform>%Ln indexed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln unreadable</source>
        <translation>
            <numerusform>%Ln unreadable</numerusform>
            <numerusform>%Ln unreadable</numerusform>
        </translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: the folder cannot be reached; its photos are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln photo</numerusform>
            <numerusform>%Ln photos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Indexer</name>
    <message>
        <source>{model} could not be loaded: {error}. Searching goes on with the model in use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexing stopped: {error}. Details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IndexingStatus</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing {model}: {done} / {total} photos · searches use {current} until then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned; indexing starts when the model is available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline: {folders}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln unreadable (see the folder&apos;s details)</source>
        <translation>
            <numerusform>%Ln unreadable (see the folder&apos;s details)</numerusform>
            <numerusform>%Ln unreadable (see the folder&apos;s details)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln could not be read now, tried again next time</source>
        <translation>
            <numerusform>%Ln could not be read now, tried again next time</numerusform>
            <numerusform>%Ln could not be read now, tried again next time</numerusform>
        </translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} answers searches until {next} has embedded every photo; then {next} takes over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No search model: see the note above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused · {done} / {total} indexed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: not available</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <source>photosearch: the library is damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A backup can replace it: {backup}. The damaged file is kept aside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no backup of it. An empty catalog can replace it (the damaged file is kept aside); the folders must then be indexed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start an empty catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a different library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library cannot be opened:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a photosearch library folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type what you are looking for, or drop a photo on the search box to find ones like it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to photosearch.

1. Add folders of photos: File ▸ Add folder… (Ctrl+O), or drop them here.
2. photosearch indexes them in the background; the status bar shows how far it is.
3. Type what you remember (“red car at the beach”), or drop a photo on the search box to find ones like it.

Your photos stay where they are. The library (catalog, search index, thumbnails) lives in {root}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide weaker matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Show %Ln weaker match(es)</source>
        <translation>
            <numerusform>Show %Ln weaker match</numerusform>
            <numerusform>Show %Ln weaker matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hide duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide &amp;near-duplicates too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Thumbnail size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Larger thumbnails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;maller thumbnails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sort by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Relevance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Oldest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About photosearch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not loaded ({model})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;photosearch {version}&lt;/h3&gt;&lt;p&gt;Find photos on your computer by describing them. Everything stays on this computer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Model:&lt;/b&gt; {model}&lt;br&gt;&lt;b&gt;Library:&lt;/b&gt; {library}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Licences:&lt;/b&gt; photosearch — MIT. The tag vocabulary is derived from the Recognize Anything tag list — Apache-2.0. The OpenCLIP code — MIT; model weights are under their authors&apos; licences (the LAION CLIP models: MIT), see each model&apos;s page on Hugging Face.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About photosearch</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open download page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search model is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln of its files are not on this computer (listed below). Download them from the page below into the Hugging Face cache, or choose a model folder that holds them. Folders can still be added and scanned; searching starts once a model is loaded.</source>
        <translation>
            <numerusform>%Ln of its files is not on this computer (listed below). Download them from the page below into the Hugging Face cache, or choose a model folder that holds them. Folders can still be added and scanned; searching starts once a model is loaded.</numerusform>
            <numerusform>%Ln of its files are not on this computer (listed below). Download them from the page below into the Hugging Face cache, or choose a model folder that holds them. Folders can still be added and scanned; searching starts once a model is loaded.</numerusform>
        </translation>
    </message>
    <message>
        <source>Its weights file is not on this computer. Download it from the page below, then choose it with “Choose weights file…”. Folders can still be added and scanned; searching starts once a model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelMenu</name>
    <message>
        <source>Choose the model&apos;s weights file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model weights (*.safetensors *.bin *.pt *.pth);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a model folder (open_clip_config.json and weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message>
        <source>Name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge the selected persons into the first one selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show hidden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People is off (Preferences turns it on).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No faces found yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln persons</source>
        <translation>
            <numerusform>%Ln person</numerusform>
            <numerusform>%Ln persons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos not yet looked at for faces.</source>
        <translation>
            <numerusform>%Ln photo not yet looked at for faces.</numerusform>
            <numerusform>%Ln photos not yet looked at for faces.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln photo</numerusform>
            <numerusform>%Ln photos</numerusform>
        </translation>
    </message>
    <message>
        <source>(hidden)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos of this person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone is already called {name}. Merge the two?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unnamed person {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not this person (move the face out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoTagsWidget</name>
    <message>
        <source>Tags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a tag…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen file or folder: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How alike two photos must be to count as near-duplicates (cosine similarity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How clearly a word must stand out for a photo to become its tag: higher gives fewer, surer tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The most automatic tags a photo gets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One word or phrase a line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow changes in the folders while the app runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find faces and group them into people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turning this off deletes the faces found and the names given to people.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watching on or off applies at the next start; the other changes apply at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near-duplicate threshold:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag threshold:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags per photo, at most:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom tag words:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>SigLIP 2 ViT-B/32, fast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SigLIP 2 ViT-B/16, more accurate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CLIP ViT-B/32 (LAION-2B)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>XLM-RoBERTa + ViT-B/32 (older multilingual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Russian, English and many more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} — {languages}; {size}, {cost}× the work per photo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <source>Cannot show this photo: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsGrid</name>
    <message>
        <source>Date unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No application opens {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied {path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Taken {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match strength {percent}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a weaker match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score {score}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching tags: {tags}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Teach “{tag}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is this “{tag}”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes (Y)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing left to review.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Describe a photo — “dog on a beach”  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message>
        <source>photo {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos in {folder}, oldest first</source>
        <translation>
            <numerusform>%Ln photo in {folder}, oldest first</numerusform>
            <numerusform>%Ln photos in {folder}, oldest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos in {folder}, newest first</source>
        <translation>
            <numerusform>%Ln photo in {folder}, newest first</numerusform>
            <numerusform>%Ln photos in {folder}, newest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All photos: %Ln photos, oldest first</source>
        <translation>
            <numerusform>All photos: %Ln photo, oldest first</numerusform>
            <numerusform>All photos: %Ln photos, oldest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All photos: %Ln photos, newest first</source>
        <translation>
            <numerusform>All photos: %Ln photo, newest first</numerusform>
            <numerusform>All photos: %Ln photos, newest first</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching needs the model; it is not available yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model… the search runs as soon as it is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching for “{query}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for photos like {photo}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model understands English only: for Russian queries choose Model ▸ {default} (or {quality}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No photos yet: add a folder, or wait for indexing to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{theme}: %Ln photos</source>
        <translation>
            <numerusform>{theme}: %Ln photo</numerusform>
            <numerusform>{theme}: %Ln photos</numerusform>
        </translation>
    </message>
    <message>
        <source>No good matches for “{query}” in {folder}; showing the closest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No good matches for “{query}”; showing the closest</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln good matches for “{query}” in {folder}</source>
        <translation>
            <numerusform>%Ln good match for “{query}” in {folder}</numerusform>
            <numerusform>%Ln good matches for “{query}” in {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln good matches for “{query}”</source>
        <translation>
            <numerusform>%Ln good match for “{query}”</numerusform>
            <numerusform>%Ln good matches for “{query}”</numerusform>
        </translation>
    </message>
    <message>
        <source>Best matches for “{query}” in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best matches for “{query}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with the photo {photo} (Esc drops it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>oldest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weaker matches dimmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos like {photo} in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos like {photo}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{good} marked good, {bad} marked bad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search failed: {error}. Details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TagsView</name>
    <message>
        <source>Show all photos tagged “{tag}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove “{tag}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>filter tags…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own tag words (any photo that fits gets them):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. wisteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply to library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-tagging the library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved; the library is re-tagged as soon as the model has loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Re-tagged %Ln photos.</source>
        <translation>
            <numerusform>Re-tagged %Ln photo.</numerusform>
            <numerusform>Re-tagged %Ln photos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TeachView</name>
    <message numerus="yes">
        <source>%Ln photos carry “{tag}”.</source>
        <translation>
            <numerusform>%Ln photo carries “{tag}”.</numerusform>
            <numerusform>%Ln photos carry “{tag}”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Teaching needs the model; it is not available yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teach a tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>What are these %Ln photos?</source>
        <translation>
            <numerusform>What is this photo?</numerusform>
            <numerusform>What are these %Ln photos?</numerusform>
        </translation>
    </message>
    <message>
        <source>Learned tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete a learned tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget “{tag}”, its examples and its photos&apos; tags?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet: select photos ▸ Teach a tag…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More like this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Less like this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teach a tag…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThemesView</name>
    <message>
        <source>Group again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a tag…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Themes appear once the model has loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{label} (%Ln)</source>
        <translation>
            <numerusform>{label} (%Ln)</numerusform>
            <numerusform>{label} (%Ln)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln themes</source>
        <translation>
            <numerusform>%Ln theme</numerusform>
            <numerusform>%Ln themes</numerusform>
        </translation>
    </message>
    <message>
        <source>Grouping the library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Themes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong: {error}. Details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{library} cannot be written here: searching works; indexing and changes do not.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>No space left on the library&apos;s disk ({path}); free some space and run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library at {library} was written by a newer photosearch; update photosearch to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library&apos;s catalog {path} is damaged ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library at {library} is read-only here: searching works; indexing and changes do not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another photosearch process is indexing this library; try again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This folder holds a library folder through another path (a bind mount or a link): {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} cannot be read now: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file} is not a readable image: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model cannot be used: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in the library: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This search cannot be run: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>Indexing {done} / {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rate} photos/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for faces {done} / {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Scanning {folder}… %Ln photos found</source>
        <translation>
            <numerusform>Scanning {folder}… %Ln photo found</numerusform>
            <numerusform>Scanning {folder}… %Ln photos found</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading model {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading model {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-tagging {done} / {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing tag words {done} / {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing quick text search {done} / {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rate} words/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>DateFilter</name>
    <message>
        <source>Only photos taken at a time (the query&apos;s date:, after: and before:)</source>
        <translation>Только фотографии, снятые в это время (date:, after: и before: в запросе)</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>За всё время</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>В этом году</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>В прошлом году</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>В этом месяце</translation>
    </message>
    <message>
        <source>A month…</source>
        <translation>Месяц…</translation>
    </message>
    <message>
        <source>From… to…</source>
        <translation>С… по…</translation>
    </message>
    <message>
        <source>Date: {period}</source>
        <translation>Дата: {period}</translation>
    </message>
    <message>
        <source>any time</source>
        <translation>за всё время</translation>
    </message>
    <message>
        <source>from {date}</source>
        <translation>с {date}</translation>
    </message>
    <message>
        <source>before {date}</source>
        <translation>до {date}</translation>
    </message>
    <message>
        <source>Photos taken in a month</source>
        <translation>Фотографии, снятые за месяц</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>Год:</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>Месяц:</translation>
    </message>
    <message>
        <source>Photos taken between two days</source>
        <translation>Фотографии, снятые между двумя днями</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>С:</translation>
    </message>
    <message>
        <source>To (included):</source>
        <translation>По (включительно):</translation>
    </message>
</context>
<context>
    <name>DuplicatesView</name>
    <message>
        <source>Exact copies</source>
        <translation>Точные копии</translation>
    </message>
    <message>
        <source>Same picture</source>
        <translation>Тот же снимок</translation>
    </message>
    <message>
        <source>Near-duplicates</source>
        <translation>Почти дубликаты</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>Переместить в корзину</translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln files to the trash? Each group keeps the photo marked Keep; the files can be restored from the trash.</source>
        <translation>
            <numerusform>Переместить %Ln файл в корзину? В каждой группе остаётся фотография, отмеченная «Оставить»; файлы можно восстановить из корзины.</numerusform>
            <numerusform>Переместить %Ln файла в корзину? В каждой группе остаётся фотография, отмеченная «Оставить»; файлы можно восстановить из корзины.</numerusform>
            <numerusform>Переместить %Ln файлов в корзину? В каждой группе остаётся фотография, отмеченная «Оставить»; файлы можно восстановить из корзины.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln фотография</numerusform>
            <numerusform>%Ln фотографии</numerusform>
            <numerusform>%Ln фотографий</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <source>Near-duplicate similarity</source>
        <translation>Сходство почти дубликатов</translation>
    </message>
    <message>
        <source>Move others to trash…</source>
        <translation>Остальные — в корзину…</translation>
    </message>
    <message>
        <source>Failed: {error}</source>
        <translation>Ошибка: {error}</translation>
    </message>
    <message>
        <source>Looking for duplicates…</source>
        <translation>Поиск дубликатов…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups</source>
        <translation>
            <numerusform>%Ln группа</numerusform>
            <numerusform>%Ln группы</numerusform>
            <numerusform>%Ln групп</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln extra copies</source>
        <translation>
            <numerusform>%Ln лишняя копия</numerusform>
            <numerusform>%Ln лишние копии</numerusform>
            <numerusform>%Ln лишних копий</numerusform>
        </translation>
    </message>
    <message>
        <source>No duplicates found.</source>
        <translation>Дубликатов не найдено.</translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln files to {place}; restore them from there.</source>
        <translation>
            <numerusform>%Ln файл перемещён в {place}; восстановить его можно оттуда.</numerusform>
            <numerusform>%Ln файла перемещены в {place}; восстановить их можно оттуда.</numerusform>
            <numerusform>%Ln файлов перемещены в {place}; восстановить их можно оттуда.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing moved.</source>
        <translation>Ничего не перемещено.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln could not be moved:</source>
        <translation>
            <numerusform>%Ln не удалось переместить:</numerusform>
            <numerusform>%Ln не удалось переместить:</numerusform>
            <numerusform>%Ln не удалось переместить:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups left alone:</source>
        <translation>
            <numerusform>%Ln группа оставлена как есть:</numerusform>
            <numerusform>%Ln группы оставлены как есть:</numerusform>
            <numerusform>%Ln групп оставлены как есть:</numerusform>
        </translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Дубликаты</translation>
    </message>
    <message>
        <source>Hide duplicates</source>
        <translation>Скрывать дубликаты</translation>
    </message>
    <message>
        <source>Hide copies</source>
        <translation>Скрыть копии</translation>
    </message>
    <message numerus="yes">
        <source>Show %Ln copies</source>
        <translation>
            <numerusform>Показать %Ln копию</numerusform>
            <numerusform>Показать %Ln копии</numerusform>
            <numerusform>Показать %Ln копий</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderActions</name>
    <message>
        <source>Added {folders}</source>
        <translation>Добавлено: {folders}</translation>
    </message>
    <message numerus="yes">
        <source>Removed {folder} from the library (%Ln photos; files untouched)</source>
        <translation>
            <numerusform>Папка {folder} убрана из библиотеки (%Ln фотография; файлы не тронуты)</numerusform>
            <numerusform>Папка {folder} убрана из библиотеки (%Ln фотографии; файлы не тронуты)</numerusform>
            <numerusform>Папка {folder} убрана из библиотеки (%Ln фотографий; файлы не тронуты)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>its %Ln photos</source>
        <translation>
            <numerusform>её %Ln фотографию</numerusform>
            <numerusform>её %Ln фотографии</numerusform>
            <numerusform>её %Ln фотографий</numerusform>
        </translation>
    </message>
    <message>
        <source>its photos</source>
        <translation>её фотографии</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>Убрать папку</translation>
    </message>
    <message>
        <source>Remove “{name}” from the library?</source>
        <translation>Убрать «{name}» из библиотеки?</translation>
    </message>
    <message>
        <source>The library forgets {what}: search results, tags and duplicate groups. The files on disk are not touched; add the folder again to bring them back.</source>
        <translation>Библиотека забудет {what}: результаты поиска, метки и группы дубликатов. Файлы на диске не трогаются; чтобы вернуть их, добавьте папку снова.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Оставить</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Папки</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Добавить папку…</translation>
    </message>
    <message>
        <source>Forget this folder (the files stay on disk)</source>
        <translation>Забыть эту папку (файлы остаются на диске)</translation>
    </message>
    <message>
        <source>Drop folders here, or add them with the button.</source>
        <translation>Перетащите папки сюда или добавьте их кнопкой.</translation>
    </message>
    <message>
        <source>All folders</source>
        <translation>Все папки</translation>
    </message>
    <message>
        <source>scanning…</source>
        <translation>сканирование…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln проиндексирована</numerusform>
            <numerusform>%Ln проиндексированы</numerusform>
            <numerusform>%Ln проиндексировано</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln unreadable</source>
        <translation>
            <numerusform>%Ln не читается</numerusform>
            <numerusform>%Ln не читаются</numerusform>
            <numerusform>%Ln не читаются</numerusform>
        </translation>
    </message>
    <message>
        <source>offline</source>
        <translation>недоступна</translation>
    </message>
    <message>
        <source>Offline: the folder cannot be reached; its photos are kept.</source>
        <translation>Недоступна: до папки не добраться; её фотографии сохранены.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln фотография</numerusform>
            <numerusform>%Ln фотографии</numerusform>
            <numerusform>%Ln фотографий</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Indexer</name>
    <message>
        <source>{model} could not be loaded: {error}. Searching goes on with the model in use.</source>
        <translation>Не удалось загрузить {model}: {error}. Поиск продолжается с текущей моделью.</translation>
    </message>
    <message>
        <source>Indexing stopped: {error}. Details are in the log file.</source>
        <translation>Индексирование остановлено: {error}. Подробности — в журнале.</translation>
    </message>
</context>
<context>
    <name>IndexingStatus</name>
    <message>
        <source>Ready</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Preparing {model}: {done} / {total} photos · searches use {current} until then</source>
        <translation>Подготовка {model}: {done} / {total} фото · до тех пор поиск идёт по {current}</translation>
    </message>
    <message>
        <source>Scanned; indexing starts when the model is available</source>
        <translation>Просканировано; индексирование начнётся, когда модель будет доступна</translation>
    </message>
    <message>
        <source>offline: {folders}</source>
        <translation>недоступны: {folders}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unreadable (see the folder&apos;s details)</source>
        <translation>
            <numerusform>%Ln не читается (подробности у папки)</numerusform>
            <numerusform>%Ln не читаются (подробности у папки)</numerusform>
            <numerusform>%Ln не читаются (подробности у папки)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln could not be read now, tried again next time</source>
        <translation>
            <numerusform>%Ln не удалось прочитать сейчас, попробуем в следующий раз</numerusform>
            <numerusform>%Ln не удалось прочитать сейчас, попробуем в следующий раз</numerusform>
            <numerusform>%Ln не удалось прочитать сейчас, попробуем в следующий раз</numerusform>
        </translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Всё проиндексировано</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>{name} answers searches until {next} has embedded every photo; then {next} takes over.</source>
        <translation>{name} отвечает на запросы, пока {next} не обработает все фотографии; затем поиск перейдёт на {next}.</translation>
    </message>
    <message>
        <source>No search model: see the note above</source>
        <translation>Нет модели для поиска: см. сообщение выше</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>Модель: {name}</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Загрузка модели…</translation>
    </message>
    <message>
        <source>Paused · {done} / {total} indexed</source>
        <translation>Пауза · проиндексировано {done} из {total}</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Model: not available</source>
        <translation>Модель: недоступна</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <source>photosearch: the library is damaged</source>
        <translation>photosearch: библиотека повреждена</translation>
    </message>
    <message>
        <source>A backup can replace it: {backup}. The damaged file is kept aside.</source>
        <translation>Её можно заменить резервной копией: {backup}. Повреждённый файл сохраняется отдельно.</translation>
    </message>
    <message>
        <source>Restore the backup</source>
        <translation>Восстановить из резервной копии</translation>
    </message>
    <message>
        <source>There is no backup of it. An empty catalog can replace it (the damaged file is kept aside); the folders must then be indexed again.</source>
        <translation>Резервной копии нет. Её можно заменить пустым каталогом (повреждённый файл сохраняется отдельно); тогда папки придётся проиндексировать заново.</translation>
    </message>
    <message>
        <source>Start an empty catalog</source>
        <translation>Начать с пустого каталога</translation>
    </message>
    <message>
        <source>Open a different library…</source>
        <translation>Открыть другую библиотеку…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>The library cannot be opened:</source>
        <translation>Библиотеку не удаётся открыть:</translation>
    </message>
    <message>
        <source>Choose a photosearch library folder</source>
        <translation>Выберите папку библиотеки photosearch</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Photos</source>
        <translation>Фотографии</translation>
    </message>
    <message>
        <source>Type what you are looking for, or drop a photo on the search box to find ones like it.</source>
        <translation>Напишите, что вы ищете, или перетащите фотографию в строку поиска, чтобы найти похожие.</translation>
    </message>
    <message>
        <source>Welcome to photosearch.

1. Add folders of photos: File ▸ Add folder… (Ctrl+O), or drop them here.
2. photosearch indexes them in the background; the status bar shows how far it is.
3. Type what you remember (“red car at the beach”), or drop a photo on the search box to find ones like it.

Your photos stay where they are. The library (catalog, search index, thumbnails) lives in {root}.</source>
        <translation>Добро пожаловать в photosearch.

1. Добавьте папки с фотографиями: Файл ▸ Добавить папку… (Ctrl+O) или перетащите их сюда.
2. photosearch проиндексирует их в фоне; строка состояния показывает, сколько уже сделано.
3. Напишите, что помните («красная машина на пляже»), или перетащите фотографию в строку поиска, чтобы найти похожие.

Ваши фотографии остаются на своих местах. Библиотека (каталог, поисковый индекс, миниатюры) хранится в {root}.</translation>
    </message>
    <message>
        <source>Hide weaker matches</source>
        <translation>Скрыть менее похожие</translation>
    </message>
    <message numerus="yes">
        <source>Show %Ln weaker match(es)</source>
        <translation>
            <numerusform>Показать ещё %Ln менее похожую</numerusform>
            <numerusform>Показать ещё %Ln менее похожие</numerusform>
            <numerusform>Показать ещё %Ln менее похожих</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Add folder…</source>
        <translation>&amp;Добавить папку…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Hide duplicates</source>
        <translation>&amp;Скрывать дубликаты</translation>
    </message>
    <message>
        <source>Hide &amp;near-duplicates too</source>
        <translation>Скрывать и &amp;почти дубликаты</translation>
    </message>
    <message>
        <source>&amp;Small</source>
        <translation>&amp;Маленькие</translation>
    </message>
    <message>
        <source>&amp;Medium</source>
        <translation>&amp;Средние</translation>
    </message>
    <message>
        <source>&amp;Large</source>
        <translation>&amp;Крупные</translation>
    </message>
    <message>
        <source>&amp;Thumbnail size</source>
        <translation>&amp;Размер миниатюр</translation>
    </message>
    <message>
        <source>&amp;Larger thumbnails</source>
        <translation>&amp;Увеличить миниатюры</translation>
    </message>
    <message>
        <source>S&amp;maller thumbnails</source>
        <translation>У&amp;меньшить миниатюры</translation>
    </message>
    <message>
        <source>&amp;Sort by</source>
        <translation>&amp;Сортировка</translation>
    </message>
    <message>
        <source>&amp;Relevance</source>
        <translation>По &amp;релевантности</translation>
    </message>
    <message>
        <source>&amp;Newest first</source>
        <translation>Сначала &amp;новые</translation>
    </message>
    <message>
        <source>&amp;Oldest first</source>
        <translation>Сначала &amp;старые</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;About photosearch</source>
        <translation>&amp;О программе photosearch</translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation>Добавить папку с фотографиями</translation>
    </message>
    <message>
        <source>not loaded ({model})</source>
        <translation>не загружена ({model})</translation>
    </message>
    <message>
        <source>&lt;h3&gt;photosearch {version}&lt;/h3&gt;&lt;p&gt;Find photos on your computer by describing them. Everything stays on this computer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Model:&lt;/b&gt; {model}&lt;br&gt;&lt;b&gt;Library:&lt;/b&gt; {library}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Licences:&lt;/b&gt; photosearch — MIT. The tag vocabulary is derived from the Recognize Anything tag list — Apache-2.0. The OpenCLIP code — MIT; model weights are under their authors&apos; licences (the LAION CLIP models: MIT), see each model&apos;s page on Hugging Face.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;photosearch {version}&lt;/h3&gt;&lt;p&gt;Находит фотографии на вашем компьютере по описанию. Всё остаётся на этом компьютере.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Модель:&lt;/b&gt; {model}&lt;br&gt;&lt;b&gt;Библиотека:&lt;/b&gt; {library}&lt;/p&gt;&lt;p&gt;&lt;b&gt;Лицензии:&lt;/b&gt; photosearch — MIT. Словарь меток основан на списке меток Recognize Anything — Apache-2.0. Код OpenCLIP — MIT; веса моделей распространяются по лицензиям их авторов (модели LAION CLIP: MIT), см. страницу каждой модели на Hugging Face.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About photosearch</source>
        <translation>О программе photosearch</translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>Open download page</source>
        <translation>Открыть страницу загрузки</translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation>Выбрать файл весов…</translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation>Выбрать папку модели…</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Скачать</translation>
    </message>
    <message>
        <source>The search model is not available.</source>
        <translation>Модель для поиска недоступна.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln of its files are not on this computer (listed below). Download them from the page below into the Hugging Face cache, or choose a model folder that holds them. Folders can still be added and scanned; searching starts once a model is loaded.</source>
        <translation>
            <numerusform>Нет %Ln её файла на этом компьютере (список ниже). Скачайте их со страницы ниже в кэш Hugging Face или выберите папку модели, в которой они есть. Папки можно добавлять и сканировать и сейчас; поиск начнётся, когда модель загрузится.</numerusform>
            <numerusform>Нет %Ln её файлов на этом компьютере (список ниже). Скачайте их со страницы ниже в кэш Hugging Face или выберите папку модели, в которой они есть. Папки можно добавлять и сканировать и сейчас; поиск начнётся, когда модель загрузится.</numerusform>
            <numerusform>Нет %Ln её файлов на этом компьютере (список ниже). Скачайте их со страницы ниже в кэш Hugging Face или выберите папку модели, в которой они есть. Папки можно добавлять и сканировать и сейчас; поиск начнётся, когда модель загрузится.</numerusform>
        </translation>
    </message>
    <message>
        <source>Its weights file is not on this computer. Download it from the page below, then choose it with “Choose weights file…”. Folders can still be added and scanned; searching starts once a model is loaded.</source>
        <translation>Файла её весов нет на этом компьютере. Скачайте его со страницы ниже и выберите кнопкой «Выбрать файл весов…». Папки можно добавлять и сканировать и сейчас; поиск заработает, как только загрузится модель.</translation>
    </message>
</context>
<context>
    <name>ModelMenu</name>
    <message>
        <source>Choose the model&apos;s weights file</source>
        <translation>Выберите файл весов модели</translation>
    </message>
    <message>
        <source>Model weights (*.safetensors *.bin *.pt *.pth);;All files (*)</source>
        <translation>Веса модели (*.safetensors *.bin *.pt *.pth);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Choose a model folder (open_clip_config.json and weights)</source>
        <translation>Выберите папку модели (open_clip_config.json и веса)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Модель</translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation>Выбрать файл весов…</translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation>Выбрать папку модели…</translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message>
        <source>Name…</source>
        <translation>Имя…</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Объединить</translation>
    </message>
    <message>
        <source>Merge the selected persons into the first one selected</source>
        <translation>Объединить выбранных людей с первым выбранным</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <source>Show photos</source>
        <translation>Показать фотографии</translation>
    </message>
    <message>
        <source>Show hidden</source>
        <translation>Показывать скрытых</translation>
    </message>
    <message>
        <source>People is off (Preferences turns it on).</source>
        <translation>Люди выключены (включаются в настройках).</translation>
    </message>
    <message>
        <source>No faces found yet.</source>
        <translation>Лица пока не найдены.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln persons</source>
        <translation>
            <numerusform>%Ln человек</numerusform>
            <numerusform>%Ln человека</numerusform>
            <numerusform>%Ln человек</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos not yet looked at for faces.</source>
        <translation>
            <numerusform>%Ln фотография ещё не проверена на лица.</numerusform>
            <numerusform>%Ln фотографии ещё не проверены на лица.</numerusform>
            <numerusform>%Ln фотографий ещё не проверены на лица.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed</source>
        <translation>Без имени</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos</source>
        <translation>
            <numerusform>%Ln фотография</numerusform>
            <numerusform>%Ln фотографии</numerusform>
            <numerusform>%Ln фотографий</numerusform>
        </translation>
    </message>
    <message>
        <source>(hidden)</source>
        <translation>(скрыт)</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <source>Photos of this person</source>
        <translation>Фотографии этого человека</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Who is this?</source>
        <translation>Кто это?</translation>
    </message>
    <message>
        <source>Someone is already called {name}. Merge the two?</source>
        <translation>Имя {name} уже есть у другого человека. Объединить их?</translation>
    </message>
    <message>
        <source>Unnamed person {n}</source>
        <translation>Человек без имени {n}</translation>
    </message>
    <message>
        <source>Not this person (move the face out)</source>
        <translation>Это не он (убрать лицо)</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Люди</translation>
    </message>
</context>
<context>
    <name>PhotoTagsWidget</name>
    <message>
        <source>Tags:</source>
        <translation>Метки:</translation>
    </message>
    <message>
        <source>add a tag…</source>
        <translation>добавить метку…</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Chosen file or folder: {name}</source>
        <translation>Выбранный файл или папка: {name}</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Автоматически</translation>
    </message>
    <message>
        <source>How alike two photos must be to count as near-duplicates (cosine similarity)</source>
        <translation>Насколько похожими должны быть две фотографии, чтобы считаться почти дубликатами (косинусное сходство)</translation>
    </message>
    <message>
        <source>How clearly a word must stand out for a photo to become its tag: higher gives fewer, surer tags</source>
        <translation>Насколько явно слово должно выделяться для фотографии, чтобы стать её меткой: чем выше, тем меньше меток и тем они надёжнее</translation>
    </message>
    <message>
        <source>The most automatic tags a photo gets</source>
        <translation>Наибольшее число автоматических меток у одной фотографии</translation>
    </message>
    <message>
        <source>One word or phrase a line</source>
        <translation>По одному слову или фразе в строке</translation>
    </message>
    <message>
        <source>Follow changes in the folders while the app runs</source>
        <translation>Следить за изменениями в папках, пока программа работает</translation>
    </message>
    <message>
        <source>Find faces and group them into people</source>
        <translation>Находить лица и группировать их по людям</translation>
    </message>
    <message>
        <source>Turning this off deletes the faces found and the names given to people.</source>
        <translation>Если выключить, найденные лица и данные людям имена будут удалены.</translation>
    </message>
    <message>
        <source>Watching on or off applies at the next start; the other changes apply at once.</source>
        <translation>Слежение за папками включится или выключится при следующем запуске; остальные изменения применяются сразу.</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Модель:</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Точность:</translation>
    </message>
    <message>
        <source>Near-duplicate threshold:</source>
        <translation>Порог почти дубликатов:</translation>
    </message>
    <message>
        <source>Tag threshold:</source>
        <translation>Порог меток:</translation>
    </message>
    <message>
        <source>Tags per photo, at most:</source>
        <translation>Меток на фотографию, не больше:</translation>
    </message>
    <message>
        <source>Custom tag words:</source>
        <translation>Свои слова-метки:</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>SigLIP 2 ViT-B/32, fast</source>
        <translation>SigLIP 2 ViT-B/32, быстрая</translation>
    </message>
    <message>
        <source>SigLIP 2 ViT-B/16, more accurate</source>
        <translation>SigLIP 2 ViT-B/16, точнее</translation>
    </message>
    <message>
        <source>CLIP ViT-B/32 (LAION-2B)</source>
        <translation>CLIP ViT-B/32 (LAION-2B)</translation>
    </message>
    <message>
        <source>XLM-RoBERTa + ViT-B/32 (older multilingual)</source>
        <translation>XLM-RoBERTa + ViT-B/32 (прежняя многоязычная)</translation>
    </message>
    <message>
        <source>English only</source>
        <translation>только английский</translation>
    </message>
    <message>
        <source>Russian, English and many more</source>
        <translation>русский, английский и многие другие</translation>
    </message>
    <message>
        <source>{n} GB</source>
        <translation>{n} ГБ</translation>
    </message>
    <message>
        <source>{n} MB</source>
        <translation>{n} МБ</translation>
    </message>
    <message>
        <source>{title} — {languages}; {size}, {cost}× the work per photo</source>
        <translation>{title} — {languages}; {size}, {cost}× работы на фотографию</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <source>Cannot show this photo: {error}</source>
        <translation>Не удаётся показать эту фотографию: {error}</translation>
    </message>
</context>
<context>
    <name>ResultsGrid</name>
    <message>
        <source>Date unknown</source>
        <translation>Дата неизвестна</translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation>Найти похожие</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Показать в папке</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Копировать путь</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Просмотр</translation>
    </message>
    <message>
        <source>No application opens {name}</source>
        <translation>Нет приложения, которое открывает {name}</translation>
    </message>
    <message>
        <source>Copied {path}</source>
        <translation>Скопировано: {path}</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Taken {date}</source>
        <translation>Снято {date}</translation>
    </message>
    <message>
        <source>Match strength {percent}</source>
        <translation>Совпадение {percent}</translation>
    </message>
    <message>
        <source>a weaker match</source>
        <translation>менее похожее</translation>
    </message>
    <message>
        <source>Score {score}</source>
        <translation>Оценка {score}</translation>
    </message>
    <message>
        <source>Matching tags: {tags}</source>
        <translation>Совпадающие теги: {tags}</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Teach “{tag}”</source>
        <translation>Обучение «{tag}»</translation>
    </message>
    <message>
        <source>Is this “{tag}”?</source>
        <translation>Это «{tag}»?</translation>
    </message>
    <message>
        <source>Yes (Y)</source>
        <translation>Да (Y)</translation>
    </message>
    <message>
        <source>No (N)</source>
        <translation>Нет (N)</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Nothing left to review.</source>
        <translation>Проверять больше нечего.</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Describe a photo — “dog on a beach”  (Ctrl+F)</source>
        <translation>Опишите фотографию — «собака на пляже»  (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>SearchController</name>
    <message>
        <source>photo {id}</source>
        <translation>фотография {id}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos in {folder}, oldest first</source>
        <translation>
            <numerusform>%Ln фотография в папке {folder}, сначала старые</numerusform>
            <numerusform>%Ln фотографии в папке {folder}, сначала старые</numerusform>
            <numerusform>%Ln фотографий в папке {folder}, сначала старые</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photos in {folder}, newest first</source>
        <translation>
            <numerusform>%Ln фотография в папке {folder}, сначала новые</numerusform>
            <numerusform>%Ln фотографии в папке {folder}, сначала новые</numerusform>
            <numerusform>%Ln фотографий в папке {folder}, сначала новые</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All photos: %Ln photos, oldest first</source>
        <translation>
            <numerusform>Все фотографии: %Ln фотография, сначала старые</numerusform>
            <numerusform>Все фотографии: %Ln фотографии, сначала старые</numerusform>
            <numerusform>Все фотографии: %Ln фотографий, сначала старые</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All photos: %Ln photos, newest first</source>
        <translation>
            <numerusform>Все фотографии: %Ln фотография, сначала новые</numerusform>
            <numerusform>Все фотографии: %Ln фотографии, сначала новые</numerusform>
            <numerusform>Все фотографии: %Ln фотографий, сначала новые</numerusform>
        </translation>
    </message>
    <message>
        <source>Searching needs the model; it is not available yet.</source>
        <translation>Для поиска нужна модель; она пока недоступна.</translation>
    </message>
    <message>
        <source>Loading the model… the search runs as soon as it is ready.</source>
        <translation>Загрузка модели… поиск начнётся, как только она будет готова.</translation>
    </message>
    <message>
        <source>Searching for “{query}”…</source>
        <translation>Поиск «{query}»…</translation>
    </message>
    <message>
        <source>Looking for photos like {photo}…</source>
        <translation>Поиск фотографий, похожих на {photo}…</translation>
    </message>
    <message>
        <source>This model understands English only: for Russian queries choose Model ▸ {default} (or {quality}).</source>
        <translation>Эта модель понимает только английский: для запросов на русском выберите Модель ▸ {default} (или {quality}).</translation>
    </message>
    <message>
        <source>No photos yet: add a folder, or wait for indexing to finish.</source>
        <translation>Фотографий пока нет: добавьте папку или дождитесь конца индексирования.</translation>
    </message>
    <message numerus="yes">
        <source>{theme}: %Ln photos</source>
        <translation>
            <numerusform>{theme}: %Ln фотография</numerusform>
            <numerusform>{theme}: %Ln фотографии</numerusform>
            <numerusform>{theme}: %Ln фотографий</numerusform>
        </translation>
    </message>
    <message>
        <source>No good matches for “{query}” in {folder}; showing the closest</source>
        <translation>Нет хороших совпадений для «{query}» в папке {folder}; показаны самые близкие</translation>
    </message>
    <message>
        <source>No good matches for “{query}”; showing the closest</source>
        <translation>Нет хороших совпадений для «{query}»; показаны самые близкие</translation>
    </message>
    <message numerus="yes">
        <source>%Ln good matches for “{query}” in {folder}</source>
        <translation>
            <numerusform>%Ln хорошее совпадение для «{query}» в папке {folder}</numerusform>
            <numerusform>%Ln хороших совпадения для «{query}» в папке {folder}</numerusform>
            <numerusform>%Ln хороших совпадений для «{query}» в папке {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln good matches for “{query}”</source>
        <translation>
            <numerusform>%Ln хорошее совпадение для «{query}»</numerusform>
            <numerusform>%Ln хороших совпадения для «{query}»</numerusform>
            <numerusform>%Ln хороших совпадений для «{query}»</numerusform>
        </translation>
    </message>
    <message>
        <source>Best matches for “{query}” in {folder}</source>
        <translation>Лучшие совпадения для «{query}» в папке {folder}</translation>
    </message>
    <message>
        <source>Best matches for “{query}”</source>
        <translation>Лучшие совпадения для «{query}»</translation>
    </message>
    <message>
        <source>with the photo {photo} (Esc drops it)</source>
        <translation>вместе со снимком {photo} (Esc — убрать его)</translation>
    </message>
    <message>
        <source>newest first</source>
        <translation>сначала новые</translation>
    </message>
    <message>
        <source>oldest first</source>
        <translation>сначала старые</translation>
    </message>
    <message>
        <source>weaker matches dimmed</source>
        <translation>менее похожие приглушены</translation>
    </message>
    <message>
        <source>Photos like {photo} in {folder}</source>
        <translation>Фотографии, похожие на {photo}, в папке {folder}</translation>
    </message>
    <message>
        <source>Photos like {photo}</source>
        <translation>Фотографии, похожие на {photo}</translation>
    </message>
    <message>
        <source>{good} marked good, {bad} marked bad</source>
        <translation>отмечено подходящих: {good}, неподходящих: {bad}</translation>
    </message>
    <message>
        <source>The search failed: {error}. Details are in the log file.</source>
        <translation>Поиск не удался: {error}. Подробности — в журнале.</translation>
    </message>
</context>
<context>
    <name>TagsView</name>
    <message>
        <source>Show all photos tagged “{tag}”</source>
        <translation>Показать все фотографии с меткой «{tag}»</translation>
    </message>
    <message>
        <source>Remove “{tag}”</source>
        <translation>Убрать «{tag}»</translation>
    </message>
    <message>
        <source>filter tags…</source>
        <translation>фильтр меток…</translation>
    </message>
    <message>
        <source>Your own tag words (any photo that fits gets them):</source>
        <translation>Ваши слова-метки (их получает каждая подходящая фотография):</translation>
    </message>
    <message>
        <source>e.g. wisteria</source>
        <translation>например, глициния</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Apply to library</source>
        <translation>Применить к библиотеке</translation>
    </message>
    <message>
        <source>Re-tagging the library…</source>
        <translation>Библиотека размечается заново…</translation>
    </message>
    <message>
        <source>Saved; the library is re-tagged as soon as the model has loaded.</source>
        <translation>Сохранено; библиотека будет размечена заново, как только загрузится модель.</translation>
    </message>
    <message numerus="yes">
        <source>Re-tagged %Ln photos.</source>
        <translation>
            <numerusform>Заново размечена %Ln фотография.</numerusform>
            <numerusform>Заново размечены %Ln фотографии.</numerusform>
            <numerusform>Заново размечено %Ln фотографий.</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
</context>
<context>
    <name>TeachView</name>
    <message numerus="yes">
        <source>%Ln photos carry “{tag}”.</source>
        <translation>
            <numerusform>%Ln фотография с тегом «{tag}».</numerusform>
            <numerusform>%Ln фотографии с тегом «{tag}».</numerusform>
            <numerusform>%Ln фотографий с тегом «{tag}».</numerusform>
        </translation>
    </message>
    <message>
        <source>Teaching needs the model; it is not available yet.</source>
        <translation>Для обучения нужна модель; она ещё недоступна.</translation>
    </message>
    <message>
        <source>Teach a tag</source>
        <translation>Научить тегу</translation>
    </message>
    <message numerus="yes">
        <source>What are these %Ln photos?</source>
        <translation>
            <numerusform>Что на этой %Ln фотографии?</numerusform>
            <numerusform>Что на этих %Ln фотографиях?</numerusform>
            <numerusform>Что на этих %Ln фотографиях?</numerusform>
        </translation>
    </message>
    <message>
        <source>Learned tags</source>
        <translation>Обученные теги</translation>
    </message>
    <message>
        <source>Delete a learned tag</source>
        <translation>Удалить обученный тег</translation>
    </message>
    <message>
        <source>Forget “{tag}”, its examples and its photos&apos; tags?</source>
        <translation>Забыть «{tag}», его примеры и этот тег у фотографий?</translation>
    </message>
    <message>
        <source>None yet: select photos ▸ Teach a tag…</source>
        <translation>Пока нет: выберите фотографии ▸ Научить тегу…</translation>
    </message>
    <message>
        <source>Review…</source>
        <translation>Проверить…</translation>
    </message>
    <message>
        <source>Retrain</source>
        <translation>Переобучить</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <source>More like this</source>
        <translation>Больше таких</translation>
    </message>
    <message>
        <source>Less like this</source>
        <translation>Меньше таких</translation>
    </message>
    <message>
        <source>Teach a tag…</source>
        <translation>Научить тегу…</translation>
    </message>
</context>
<context>
    <name>ThemesView</name>
    <message>
        <source>Group again</source>
        <translation>Сгруппировать заново</translation>
    </message>
    <message>
        <source>Make a tag…</source>
        <translation>Сделать тегом…</translation>
    </message>
    <message>
        <source>Themes appear once the model has loaded.</source>
        <translation>Темы появятся, когда загрузится модель.</translation>
    </message>
    <message numerus="yes">
        <source>{label} (%Ln)</source>
        <translation>
            <numerusform>{label} (%Ln)</numerusform>
            <numerusform>{label} (%Ln)</numerusform>
            <numerusform>{label} (%Ln)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln themes</source>
        <translation>
            <numerusform>%Ln тема</numerusform>
            <numerusform>%Ln темы</numerusform>
            <numerusform>%Ln тем</numerusform>
        </translation>
    </message>
    <message>
        <source>Grouping the library…</source>
        <translation>Группировка библиотеки…</translation>
    </message>
    <message>
        <source>Make a tag</source>
        <translation>Сделать тегом</translation>
    </message>
    <message>
        <source>Tag name:</source>
        <translation>Название тега:</translation>
    </message>
    <message>
        <source>Themes</source>
        <translation>Темы</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong: {error}. Details are in the log file.</source>
        <translation>Что-то пошло не так: {error}. Подробности — в журнале.</translation>
    </message>
    <message>
        <source>Read-only library</source>
        <translation>Библиотека только для чтения</translation>
    </message>
    <message>
        <source>{library} cannot be written here: searching works; indexing and changes do not.</source>
        <translation>В {library} здесь нельзя писать: поиск работает, индексирование и изменения — нет.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>No space left on the library&apos;s disk ({path}); free some space and run again.</source>
        <translation>На диске библиотеки ({path}) нет места; освободите место и запустите снова.</translation>
    </message>
    <message>
        <source>The library at {library} was written by a newer photosearch; update photosearch to open it.</source>
        <translation>Библиотека в {library} записана более новой версией photosearch; обновите photosearch, чтобы открыть её.</translation>
    </message>
    <message>
        <source>The library&apos;s catalog {path} is damaged ({reason}).</source>
        <translation>Каталог библиотеки {path} повреждён ({reason}).</translation>
    </message>
    <message>
        <source>The library at {library} is read-only here: searching works; indexing and changes do not.</source>
        <translation>Библиотека в {library} здесь доступна только для чтения: поиск работает, индексирование и изменения — нет.</translation>
    </message>
    <message>
        <source>Another photosearch process is indexing this library; try again when it has finished.</source>
        <translation>Эту библиотеку сейчас индексирует другой процесс photosearch; попробуйте снова, когда он закончит.</translation>
    </message>
    <message>
        <source>This folder holds a library folder through another path (a bind mount or a link): {detail}</source>
        <translation>Эта папка содержит папку библиотеки под другим путём (точка монтирования или ссылка): {detail}</translation>
    </message>
    <message>
        <source>{file} cannot be read now: {reason}</source>
        <translation>{file} сейчас не читается: {reason}</translation>
    </message>
    <message>
        <source>{file} is not a readable image: {reason}</source>
        <translation>{file} — не читаемое изображение: {reason}</translation>
    </message>
    <message>
        <source>The model cannot be used: {detail}</source>
        <translation>Модель нельзя использовать: {detail}</translation>
    </message>
    <message>
        <source>Not in the library: {detail}</source>
        <translation>Нет в библиотеке: {detail}</translation>
    </message>
    <message>
        <source>This search cannot be run: {detail}</source>
        <translation>Этот поиск нельзя выполнить: {detail}</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>Indexing {done} / {total}</source>
        <translation>Индексирование {done} / {total}</translation>
    </message>
    <message>
        <source>{rate} photos/s</source>
        <translation>{rate} фото/с</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>осталось {time}</translation>
    </message>
    <message>
        <source>Looking for faces {done} / {total}</source>
        <translation>Поиск лиц {done} / {total}</translation>
    </message>
    <message numerus="yes">
        <source>Scanning {folder}… %Ln photos found</source>
        <translation>
            <numerusform>Сканирование {folder}… найдена %Ln фотография</numerusform>
            <numerusform>Сканирование {folder}… найдено %Ln фотографии</numerusform>
            <numerusform>Сканирование {folder}… найдено %Ln фотографий</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading model {name}</source>
        <translation>Загрузка модели {name}</translation>
    </message>
    <message>
        <source>Downloading model {name}</source>
        <translation>Скачивание модели {name}</translation>
    </message>
    <message>
        <source>Re-tagging {done} / {total}</source>
        <translation>Пересчёт меток {done} / {total}</translation>
    </message>
    <message>
        <source>Preparing tag words {done} / {total}</source>
        <translation>Подготовка слов для меток {done} / {total}</translation>
    </message>
    <message>
        <source>Preparing quick text search {done} / {total}</source>
        <translation>Подготовка быстрого поиска по тексту {done} / {total}</translation>
    </message>
    <message>
        <source>{rate} words/s</source>
        <translation>{rate} слов/с</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} с</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} мин {s} с</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} ч {m} мин</translation>
    </message>
</context>
</TS>

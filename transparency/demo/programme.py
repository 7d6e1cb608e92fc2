"""Programme statements (visi, misi, program usulan) on the topics Indonesian campaigns are
about, varied enough that full-text search over them means something."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Topic:
    key: str
    motive: str  # "... karena ingin {motive}"
    missions: tuple[str, ...]
    programmes: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "pendidikan",
        "memastikan setiap anak di {place} bisa bersekolah tanpa terbebani biaya",
        (
            "Meningkatkan mutu dan pemerataan pendidikan dasar dan menengah.",
            "Memperjuangkan pendidikan gratis dua belas tahun yang benar-benar gratis.",
        ),
        (
            "Beasiswa bagi siswa berprestasi dari keluarga kurang mampu di {place}.",
            "Perbaikan ruang kelas rusak dan penambahan perpustakaan sekolah di desa.",
            "Menambah kuota Kartu Indonesia Pintar untuk anak putus sekolah.",
            "Membangun sekolah menengah kejuruan yang sesuai kebutuhan industri setempat.",
        ),
    ),
    Topic(
        "guru",
        "memperjuangkan kesejahteraan guru honorer",
        (
            "Memperjuangkan kesejahteraan dan kepastian status guru honorer.",
            "Menghormati guru sebagai ujung tombak kecerdasan bangsa.",
        ),
        (
            "Mendorong pengangkatan guru honorer menjadi PPPK secara bertahap dan transparan.",
            "Menaikkan insentif guru honorer dan guru mengaji di {place}.",
            "Pelatihan digital gratis bagi guru sekolah dasar di daerah terpencil.",
        ),
    ),
    Topic(
        "kesehatan",
        "memperbaiki layanan kesehatan di puskesmas dan rumah sakit daerah",
        (
            "Mewujudkan layanan kesehatan yang terjangkau dan bermutu bagi semua warga.",
            "Menekan angka stunting dan kematian ibu melahirkan.",
        ),
        (
            "Menambah dokter dan bidan di puskesmas kecamatan di {place}.",
            "Memperluas kepesertaan BPJS Kesehatan bagi warga miskin yang belum terdaftar.",
            "Ambulans desa siaga dua puluh empat jam.",
            "Program makanan tambahan bergizi untuk balita dan ibu hamil guna mencegah stunting.",
        ),
    ),
    Topic(
        "petani",
        "membela nasib petani kecil",
        (
            "Meningkatkan kesejahteraan petani melalui harga panen yang adil.",
            "Mewujudkan kedaulatan pangan dari desa.",
        ),
        (
            "Memastikan pupuk bersubsidi tersedia tepat waktu dan tepat sasaran.",
            "Membangun dan memperbaiki irigasi pertanian di {place}.",
            "Mendorong pembelian gabah petani oleh Bulog dengan harga layak.",
            "Asuransi usaha tani bagi petani padi dan jagung yang gagal panen.",
        ),
    ),
    Topic(
        "nelayan",
        "memperjuangkan kehidupan nelayan dan masyarakat pesisir",
        (
            "Melindungi nelayan tradisional dan wilayah tangkap mereka.",
            "Membangun ekonomi pesisir yang berkelanjutan.",
        ),
        (
            "Menjamin ketersediaan solar bersubsidi bagi nelayan kecil.",
            "Membangun tempat pelelangan ikan dan gudang pendingin di pesisir {place}.",
            "Bantuan perahu dan alat tangkap ramah lingkungan untuk kelompok nelayan.",
        ),
    ),
    Topic(
        "umkm",
        "membuka jalan bagi pelaku UMKM untuk naik kelas",
        (
            "Memperkuat usaha mikro, kecil dan menengah sebagai tulang punggung ekonomi rakyat.",
            "Memperluas lapangan kerja melalui kewirausahaan.",
        ),
        (
            "Kredit usaha rakyat berbunga ringan tanpa agunan untuk pedagang kecil.",
            "Pelatihan pemasaran daring dan pendampingan sertifikasi halal bagi UMKM di {place}.",
            "Revitalisasi pasar tradisional yang bersih dan tertata.",
        ),
    ),
    Topic(
        "infrastruktur",
        "mempercepat pembangunan infrastruktur desa",
        (
            "Membangun infrastruktur yang merata hingga ke desa-desa.",
            "Menghubungkan desa terpencil dengan pusat ekonomi.",
        ),
        (
            "Pengaspalan jalan desa dan jalan usaha tani di {place}.",
            "Pembangunan jembatan gantung untuk desa yang terisolasi saat musim hujan.",
            "Penerangan jalan umum bertenaga surya di jalan antardesa.",
            "Memperluas jaringan internet dan sinyal seluler ke desa yang belum terjangkau.",
        ),
    ),
    Topic(
        "antikorupsi",
        "membersihkan pemerintahan dari korupsi",
        (
            "Mewujudkan pemerintahan yang bersih, terbuka dan bebas korupsi.",
            "Menegakkan hukum tanpa pandang bulu.",
        ),
        (
            "Membuka anggaran daerah secara daring agar warga bisa ikut mengawasi.",
            "Mendukung penguatan Komisi Pemberantasan Korupsi dan perlindungan pelapor.",
            "Melaporkan harta kekayaan setiap tahun dan membuka agenda kerja kepada publik.",
            "Menolak praktik politik uang dan jual beli jabatan.",
        ),
    ),
    Topic(
        "lingkungan",
        "menjaga lingkungan dan hutan untuk generasi berikutnya",
        (
            "Menjaga kelestarian lingkungan hidup dan sumber daya alam.",
            "Mendorong pembangunan yang ramah lingkungan.",
        ),
        (
            "Pengelolaan sampah berbasis bank sampah di setiap kelurahan.",
            "Menindak tegas pembakaran hutan dan lahan serta tambang ilegal.",
            "Rehabilitasi daerah aliran sungai dan penanaman mangrove di {place}.",
            "Mendorong energi terbarukan untuk desa yang belum teraliri listrik.",
        ),
    ),
    Topic(
        "perempuan",
        "memperjuangkan hak perempuan dan perlindungan anak",
        (
            "Meningkatkan keterwakilan dan kepemimpinan perempuan.",
            "Melindungi perempuan dan anak dari kekerasan.",
        ),
        (
            "Rumah aman dan layanan pengaduan kekerasan terhadap perempuan dan anak di {place}.",
            "Pelatihan usaha bagi ibu rumah tangga dan perempuan kepala keluarga.",
            "Mengawal pelaksanaan UU Tindak Pidana Kekerasan Seksual.",
        ),
    ),
    Topic(
        "disabilitas",
        "memastikan penyandang disabilitas mendapat hak yang sama",
        ("Mewujudkan daerah yang inklusif dan ramah penyandang disabilitas.",),
        (
            "Fasilitas publik dan sekolah yang dapat diakses penyandang disabilitas.",
            "Kuota kerja bagi penyandang disabilitas di instansi pemerintah dan BUMD.",
            "Bantuan alat bantu dengar, kursi roda dan kaki palsu tanpa biaya.",
        ),
    ),
    Topic(
        "pemuda",
        "membuka lapangan kerja bagi anak muda",
        (
            "Memberdayakan generasi muda sebagai penggerak pembangunan.",
            "Menciptakan lapangan kerja yang layak bagi lulusan baru.",
        ),
        (
            "Balai latihan kerja gratis dengan sertifikasi untuk pemuda di {place}.",
            "Inkubator usaha rintisan digital di tingkat kabupaten.",
            "Membangun gelanggang olahraga dan ruang kreatif untuk pemuda.",
        ),
    ),
    Topic(
        "buruh",
        "memperjuangkan upah layak dan perlindungan buruh",
        ("Melindungi hak-hak pekerja dan buruh.",),
        (
            "Mengawal penetapan upah minimum yang sesuai kebutuhan hidup layak.",
            "Memastikan seluruh pekerja terdaftar dalam BPJS Ketenagakerjaan.",
            "Perlindungan pekerja migran sejak sebelum berangkat hingga kembali ke kampung.",
        ),
    ),
    Topic(
        "air",
        "menghadirkan air bersih dan sanitasi layak bagi warga",
        ("Menjamin akses air bersih dan sanitasi yang layak.",),
        (
            "Sambungan air bersih PDAM dan sumur bor untuk desa yang kesulitan air di {place}.",
            "Pembangunan jamban sehat dan saluran pembuangan di permukiman padat.",
        ),
    ),
    Topic(
        "pangan",
        "menjaga harga kebutuhan pokok tetap terjangkau",
        ("Menjaga stabilitas harga bahan pokok.",),
        (
            "Operasi pasar rutin saat harga beras, minyak goreng dan cabai naik.",
            "Lumbung pangan desa untuk menghadapi musim paceklik.",
        ),
    ),
    Topic(
        "adat",
        "melindungi hak masyarakat adat atas tanah ulayat",
        ("Mengakui dan melindungi hak-hak masyarakat adat.",),
        (
            "Mendorong pengesahan peraturan daerah tentang pengakuan masyarakat hukum adat.",
            "Pemetaan partisipatif wilayah adat dan penyelesaian sengketa tanah ulayat.",
        ),
    ),
    Topic(
        "pariwisata",
        "mengembangkan pariwisata yang menghidupi warga lokal",
        ("Mengembangkan pariwisata berbasis masyarakat.",),
        (
            "Pengembangan desa wisata dan homestay milik warga di {place}.",
            "Promosi kuliner dan kerajinan lokal ke pasar nasional.",
        ),
    ),
    Topic(
        "lansia",
        "memperhatikan warga lanjut usia dan keluarga miskin",
        ("Memperkuat perlindungan sosial bagi keluarga rentan.",),
        (
            "Perbaikan data penerima bantuan sosial agar tepat sasaran.",
            "Posyandu lansia dan pemeriksaan kesehatan gratis bagi warga lanjut usia.",
            "Bedah rumah tidak layak huni bagi keluarga miskin.",
        ),
    ),
    Topic(
        "bencana",
        "menyiapkan warga menghadapi bencana",
        ("Membangun ketangguhan masyarakat menghadapi bencana.",),
        (
            "Sistem peringatan dini banjir dan longsor di daerah rawan {place}.",
            "Pelatihan tanggap bencana di sekolah dan desa.",
        ),
    ),
    Topic(
        "transportasi",
        "memperbaiki angkutan umum yang murah dan aman",
        ("Menyediakan transportasi publik yang terjangkau dan aman.",),
        (
            "Subsidi angkutan umum bagi pelajar, lansia dan buruh.",
            "Kapal perintis dan penyeberangan rutin antarpulau yang terjadwal.",
        ),
    ),
)

_VISIONS = (
    "Terwujudnya {place} yang {a}, {b} dan {c}.",
    "Bersama rakyat mewujudkan {place} yang {a} dan {b}.",
    "Menjadi wakil rakyat yang {d} demi {place} yang {a}.",
    "{place} {a}, rakyat {b}.",
)
_QUALITIES = (
    "maju",
    "adil",
    "sejahtera",
    "makmur",
    "berdaulat",
    "religius",
    "berbudaya",
    "mandiri",
    "bermartabat",
    "bersih",
    "sehat",
    "cerdas",
    "inklusif",
    "lestari",
)
_REPRESENTATIVE = (
    "amanah",
    "jujur dan terbuka",
    "dekat dengan rakyat",
    "bekerja nyata",
    "bersih dari korupsi",
    "mendengar suara warga",
)


def pick_topics(rng: Random, province: str, count: int) -> list[Topic]:
    pool = list(TOPICS)
    if province[0] == "9" or province in ("61", "62", "64", "65"):
        pool += [topic for topic in TOPICS if topic.key == "adat"] * 3
    if province in ("19", "21", "53", "71", "73", "74", "81", "82"):
        pool += [topic for topic in TOPICS if topic.key == "nelayan"] * 3
    chosen: list[Topic] = []
    while len(chosen) < count:
        topic = rng.choice(pool)
        if topic not in chosen:
            chosen.append(topic)
    return chosen


def vision(rng: Random, place: str) -> str:
    a, b, c = rng.sample(_QUALITIES, 3)
    return rng.choice(_VISIONS).format(place=place, a=a, b=b, c=c, d=rng.choice(_REPRESENTATIVE))


def mission(rng: Random, topic: Topic) -> str:
    return rng.choice(topic.missions)


def programme(rng: Random, topic: Topic, place: str) -> str:
    return rng.choice(topic.programmes).format(place=place)

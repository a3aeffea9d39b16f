// The GS1 Application Identifier table: every AI of the GS1 General Specifications (§3.2 and
// the AI sections of §3), transcribed from the machine-readable GS1 Barcode Syntax Dictionary
// (github.com/gs1/gs1-syntax-dictionary, commit ff2eb4bf, Apache-2.0): the data the GS1 Syntax
// Engine uses to parse and write GS1 Digital Link URIs (primary keys, key qualifier sequences
// and permitted data attributes).
//
// One line per AI or group of AIs sharing a definition:
//   <AIs>  <components…>  [a]  [key[=<qualifiers>|<qualifiers>…]]
// - AIs: comma-separated AIs or inclusive numeric ranges ("3100-3105").
// - components, in order: <type><length>[,<check>…], "[…]" when optional. Types: N digits,
//   X CSET 82, Y CSET 39, Z CSET 64. Lengths: "N6" exactly 6, "X..20" 1 to 20 (last only).
//   Checks are the GS1 Barcode Syntax Tests ("linters") run on that component (ai-value.ts).
// - a: the AI may be a GS1 Digital Link data attribute (in the query string).
// - key: the AI is a GS1 Digital Link primary key; "=" lists its key qualifiers in the only
//   order allowed, "|" separating alternative sequences that cannot be mixed.
// Association rules between AIs ("req"/"ex" in the dictionary) are not enforced.
export const AI_TABLE = `
00                            N18,csum,gcppos2                    a key
01                            N14,csum,gcppos2                    a key=22,10,21|235
02                            N14,csum,gcppos2                    a
03                            N14,csum,gcppos2
10                            X..20                               a
11,12,13,15,16,17             N6,yymmd0                           a
20                            N2                                  a
21,22                         X..20
235                           X..28
240,241                       X..30                               a
242                           N..6                                a
243                           X..20                               a
250,251                       X..30                               a
253                           N13,csum,gcppos1 [X..17]            a key
254                           X..20
255                           N13,csum,gcppos1 [N..12]            a key
30                            N..8                                a
3100-3105,3110-3115,3120-3125 N6                                  a
3130-3135,3140-3145,3150-3155 N6                                  a
3160-3165,3200-3205,3210-3215 N6                                  a
3220-3225,3230-3235,3240-3245 N6                                  a
3250-3255,3260-3265,3270-3275 N6                                  a
3280-3285,3290-3295,3300-3305 N6                                  a
3310-3315,3320-3325,3330-3335 N6                                  a
3340-3345,3350-3355,3360-3365 N6                                  a
3370-3375,3400-3405,3410-3415 N6                                  a
3420-3425,3430-3435,3440-3445 N6                                  a
3450-3455,3460-3465,3470-3475 N6                                  a
3480-3485,3490-3495,3500-3505 N6                                  a
3510-3515,3520-3525,3530-3535 N6                                  a
3540-3545,3550-3555,3560-3565 N6                                  a
3570-3575,3600-3605,3610-3615 N6                                  a
3620-3625,3630-3635,3640-3645 N6                                  a
3650-3655,3660-3665,3670-3675 N6                                  a
3680-3685,3690-3695           N6                                  a
37                            N..8                                a
3900-3909                     N..15                               a
3910-3919                     N3,iso4217 N..15                    a
3920-3929                     N..15                               a
3930-3939                     N3,iso4217 N..15                    a
3940-3943                     N4                                  a
3950-3955                     N6                                  a
400                           X..30                               a
401                           X..30,gcppos1                       a key
402                           N17,csum,gcppos1                    a key
403                           X..30                               a
410,411,412,413               N13,csum,gcppos1                    a
414                           N13,csum,gcppos1                    a key=254|7040
415                           N13,csum,gcppos1                    a key=8020
416                           N13,csum,gcppos1                    a
417                           N13,csum,gcppos1                    a key=7040
420                           X..20                               a
421                           N3,iso3166 X..9                     a
422                           N3,iso3166                          a
423                           N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166  a
424                           N3,iso3166                          a
425                           N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166  a
426                           N3,iso3166                          a
427                           X..3                                a
4300,4301                     X..35,pcenc                         a
4302,4303,4304,4305,4306      X..70,pcenc                         a
4307                          X2,iso3166alpha2                    a
4308                          X..30                               a
4309                          N10,latitude N10,longitude          a
4310,4311                     X..35,pcenc                         a
4312,4313,4314,4315,4316      X..70,pcenc                         a
4317                          X2,iso3166alpha2                    a
4318                          X..20                               a
4319                          X..30                               a
4320                          X..35,pcenc                         a
4321,4322,4323                N1,yesno                            a
4324,4325                     N6,yymmd0 N4,hhmi                   a
4326                          N6,yymmdd                           a
4330,4331,4332,4333           N6 [X1],hyphen                      a
7001                          N13                                 a
7002                          X..30                               a
7003                          N6,yymmdd N4,hhmi                   a
7004                          N..4                                a
7005                          X..12                               a
7006                          N6,yymmdd                           a
7007                          N6,yymmdd [N6],yymmdd               a
7008                          X..3                                a
7009                          X..10                               a
7010                          X..2                                a
7011                          N6,yymmdd [N4],hhmi                 a
7020,7021,7022                X..20                               a
7023                          X..30,gcppos1                       a
7030,7031,7032,7033,7034,7035 N3,iso3166999 X..27                 a
7036,7037,7038,7039           N3,iso3166999 X..27                 a
7040                          N1 X1 X1 X1,importeridx
7041                          X..4,packagetype
710,711,712,713,714,715,716   X..20                               a
717                           X..20                               a
7230,7231,7232,7233,7234,7235 X2 X..28                            a
7236,7237,7238,7239           X2 X..28                            a
7240                          X..20                               a
7241                          N2,mediatype                        a
7242                          X..25                               a
7250                          N8,yyyymmdd                         a
7251                          N8,yyyymmdd N4,hhmi                 a
7252                          N1,iso5218                          a
7253,7254                     X..40,pcenc                         a
7255                          X..10                               a
7256                          X..90,pcenc                         a
7257                          X..70,pcenc                         a
7258                          X3,posinseqslash                    a
7259                          X..40,pcenc                         a
8001                          N4,nonzero N5,nonzero N3,nonzero N1,winding N1  a
8002                          X..20                               a
8003                          N1,zero N13,csum,gcppos1 [X..16]    a key
8004                          X..30,gcppos1                       a key=7040
8005                          N6                                  a
8006                          N14,csum,gcppos2 N4,pieceoftotal    a key=22,10,21
8007                          X..34,iban                          a
8008                          N6,yymmdd N2,hh [N2],mi [N2],ss     a
8009                          X..50                               a
8010                          Y..30,gcppos1                       a key=8011
8011                          N..12,nozeroprefix
8012                          X..20                               a
8013                          X..25,csumalpha,gcppos1             a key
8014                          X..25,csumalpha,gcppos1,hasnondigit
8017,8018                     N18,csum,gcppos1                    a key=8019
8019                          N..10
8020                          X..25
8026                          N14,csum,gcppos2 N4,pieceoftotal    a
8030                          Z..90                               a
8040,8041                     N15
8042                          N32
8043                          N18 [N..2]
8110                          X..70,couponcode                    a
8111                          N4                                  a
8112                          X..70,couponposoffer                a
8200                          X..70
90                            X..30                               a
91-99                         X..90                               a
`;

package lieux

import "testing"

func TestOpeningHours(t *testing.T) {
	for _, ok := range []string{
		"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
		"24/7",
		"Mo,We,Fr 10:00-12:00",
		"Tu-Sa 10:00-19:00; PH off",
		"Mo-Fr 08:00-12:00; Su[1] 10:00-12:00",
		"Jan-Jun: Mo-Fr 09:00-17:00; Jul-Aug: off",
		"Dec 25 off",
		"2024 Jan 01-Mar 15 Mo-Fr 09:00-12:00",
		"week 01-53/2 Fr 14:00-16:00",
		"Mo-Fr 10:00+",
		"Mo-Su sunrise-sunset",
		"Sa (sunset-01:00)-22:00",
		`Mo-Fr 09:00-12:00 "sur rendez-vous"`,
		"Mo 09:00-12:00 || \"les autres jours sur rendez-vous\"",
		"Mo-Fr 09:00-12:00;",
		"PH +1 day off",
	} {
		if err := CheckOpeningHours(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"", "Lundi 9h-12h", "Mo-Fr 25:00-26:00", "Mo-Fr 09:60-10:00", "Mo-Fr 9-12", "Mo-Fr 09:00-12:00 ouvert",
		"Mo[7] 10:00-12:00", `Mo "non fermé`, "Mo-Fr 09:00-", "week 60", "Mo-Fr 09:00-12:00 <b>",
	} {
		if err := CheckOpeningHours(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzCheckOpeningHours(f *testing.F) {
	f.Add("Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00")
	f.Add("Sa (sunset-01:00)-22:00")
	f.Add("Su[-1] 10:00-12:00")
	f.Fuzz(func(t *testing.T, s string) { _ = CheckOpeningHours(s) })
}

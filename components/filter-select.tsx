import { NativeSelect } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * A labelled select for a GET filter form (the filter lives in the URL): "all" first, then the
 * options. A value from a shared link that is no longer offered is still shown, so the select
 * says what the page is filtered by.
 */
export function FilterSelect(props: {
  /** The form field and URL parameter; also names the element (`${idPrefix}-${name}`). */
  name: string;
  idPrefix: string;
  label: string;
  all: string;
  value: string | undefined;
  options: [value: string, label: string][];
}) {
  const id = `${props.idPrefix}-${props.name}`;
  const options =
    props.value && !props.options.some(([v]) => v === props.value)
      ? [...props.options, [props.value, props.value] as [string, string]]
      : props.options;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{props.label}</Label>
      <NativeSelect id={id} name={props.name} defaultValue={props.value ?? ""} className="max-w-56">
        <option value="">{props.all}</option>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
